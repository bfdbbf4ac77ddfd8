package dev.dockaudit.report.sbom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPDX licence identifiers and licence expressions (SPDX 2.3 Annex D) for the SBOM writers.
 *
 * <p>The identifiers are those of SPDX License List {@value #LIST_VERSION} as the CycloneDX 1.6 schema enumerates
 * them (resources {@code dockaudit/spdx/license-ids.txt} and {@code exception-ids.txt}), so an id this class accepts
 * is always a valid CycloneDX {@code license.id}. Identifiers match case-insensitively, as the SPDX spec says, and
 * come back in their listed spelling ({@code zlib} is {@code Zlib}). Operators must be upper case.
 */
public final class SpdxLicenses {
    /** The SPDX License List version the identifier files come from. */
    public static final String LIST_VERSION = "3.24";

    private static final Map<String, String> LICENSES = load("license-ids.txt");
    private static final Map<String, String> EXCEPTIONS = load("exception-ids.txt");
    private static final Pattern IDSTRING = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern LICENSE_REF = Pattern.compile("(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+");
    private static final Pattern TOKEN = Pattern.compile("\\(|\\)|[^\\s()]+");
    /**
     * Deprecated GNU ids and the current ids the SPDX License List says they mean: {@code GPL-2.0} is
     * {@code GPL-2.0-only}, {@code GPL-2.0+} is {@code GPL-2.0-or-later}. Expressions are written with the current
     * ones, so validators do not warn about deprecated ids and readers need not know the old convention.
     */
    private static final java.util.Set<String> GNU_DEPRECATED = java.util.Set.of("GPL-1.0", "GPL-2.0", "GPL-3.0",
            "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "AGPL-1.0", "AGPL-3.0", "GFDL-1.1", "GFDL-1.2", "GFDL-1.3");

    private SpdxLicenses() {
    }

    /** The listed spelling of a licence identifier on the SPDX License List, or null when {@code s} is not one. */
    public static String licenseId(String s) {
        return s == null ? null : LICENSES.get(s.strip().toLowerCase(Locale.ROOT));
    }

    /** The listed spelling of a licence exception identifier, or null. */
    public static String exceptionId(String s) {
        return s == null ? null : EXCEPTIONS.get(s.strip().toLowerCase(Locale.ROOT));
    }

    /** True for {@code LicenseRef-x} and {@code DocumentRef-y:LicenseRef-x}. */
    public static boolean isLicenseRef(String s) {
        return s != null && LICENSE_REF.matcher(s).matches();
    }

    /** True when {@code s} may follow {@code LicenseRef-} (letters, digits, '.' and '-'). */
    public static boolean isIdString(String s) {
        return s != null && IDSTRING.matcher(s).matches();
    }

    /** Number of listed licence identifiers (for tests). */
    static int licenseCount() {
        return LICENSES.size();
    }

    /**
     * A valid SPDX licence expression, normalised (listed spelling of each id, deprecated GNU ids as their current
     * equivalents, single spaces, parentheses around every nested compound part), or null when {@code s} is not
     * one: an unknown id, a lower-case operator, a stray parenthesis, free text such as {@code GPL2+} or
     * {@code MIT BSD}.
     */
    public static String normalize(String s) {
        Expr e = parse(s);
        return e == null ? null : e.render(false);
    }

    /**
     * The single licence id {@code s} normalises to ({@code zlib} → {@code Zlib}, {@code GPL-2.0+} →
     * {@code GPL-2.0-or-later}), or null when it is not one listed id (an expression, a {@code +} on a non-GNU id,
     * a LicenseRef, free text).
     */
    public static String singleId(String s) {
        Expr e = parse(s);
        return e instanceof Leaf leaf && leaf.plainId ? leaf.text : null;
    }

    /** True when {@code s} is a valid expression with an operator (AND, OR, WITH) or a {@code +}. */
    public static boolean isCompound(String s) {
        Expr e = parse(s);
        return e != null && !(e instanceof Leaf leaf && leaf.plainId);
    }

    private static Expr parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            tokens.add(m.group());
        }
        Parser p = new Parser(tokens);
        try {
            Expr e = p.or();
            return p.pos == tokens.size() ? e : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // An expression tree; render(nested) wraps a compound node in parentheses when it sits inside another one.
    private sealed interface Expr permits Leaf, With, Op {
        String render(boolean nested);
    }

    private record Leaf(String text, boolean plainId) implements Expr {
        @Override
        public String render(boolean nested) {
            return text;
        }
    }

    private record With(Leaf license, String exception) implements Expr {
        @Override
        public String render(boolean nested) {
            String r = license.text + " WITH " + exception;
            return nested ? "(" + r + ")" : r;
        }
    }

    private record Op(String op, List<Expr> parts) implements Expr {
        @Override
        public String render(boolean nested) {
            List<String> out = new ArrayList<>();
            for (Expr e : parts) {
                out.add(e.render(true));
            }
            String r = String.join(" " + op + " ", out);
            return nested ? "(" + r + ")" : r;
        }
    }

    /** Recursive descent with the Annex D precedence: {@code +} over WITH over AND over OR. */
    private static final class Parser {
        private final List<String> tokens;
        private int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        Expr or() {
            return chain("OR", this::and);
        }

        Expr and() {
            return chain("AND", this::with);
        }

        private Expr chain(String op, java.util.function.Supplier<Expr> next) {
            List<Expr> parts = new ArrayList<>();
            parts.add(next.get());
            while (op.equals(peek())) {
                pos++;
                parts.add(next.get());
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            List<Expr> flat = new ArrayList<>();
            for (Expr e : parts) {
                if (e instanceof Op o && o.op.equals(op)) {
                    flat.addAll(o.parts);
                } else {
                    flat.add(e);
                }
            }
            return new Op(op, flat);
        }

        Expr with() {
            if ("(".equals(peek())) {
                pos++;
                Expr inner = or();
                expect(")");
                return inner;
            }
            Leaf simple = simple(next());
            if ("WITH".equals(peek())) {
                pos++;
                String exception = exceptionId(next());
                if (exception == null) {
                    throw new IllegalArgumentException("not a listed exception");
                }
                return new With(simple, exception);
            }
            return simple;
        }

        private Leaf simple(String t) {
            if (t == null || t.equals("(") || t.equals(")") || t.equals("AND") || t.equals("OR") || t.equals("WITH")) {
                throw new IllegalArgumentException("expected a licence");
            }
            String id = licenseId(t);
            if (id != null && !id.endsWith("+")) {
                return new Leaf(GNU_DEPRECATED.contains(id) ? id + "-only" : id, true);
            }
            String base = t.endsWith("+") ? licenseId(t.substring(0, t.length() - 1)) : null;
            if (base != null && GNU_DEPRECATED.contains(base)) {
                return new Leaf(base + "-or-later", true); // GPL-2.0+ (listed as such, deprecated) is GPL-2.0-or-later
            }
            if (id != null) {
                return new Leaf(id, false);
            }
            if (base != null) {
                return new Leaf(base + "+", false);
            }
            if (isLicenseRef(t)) {
                return new Leaf(t, false);
            }
            throw new IllegalArgumentException("not a licence id");
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next() {
            return pos < tokens.size() ? tokens.get(pos++) : null;
        }

        private void expect(String t) {
            if (!t.equals(next())) {
                throw new IllegalArgumentException("expected " + t);
            }
        }
    }

    private static Map<String, String> load(String name) {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = SpdxLicenses.class.getResourceAsStream("/dockaudit/spdx/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource dockaudit/spdx/" + name + " is missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    m.put(line.toLowerCase(Locale.ROOT), line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(m);
    }
}
