package dev.dockaudit.check.secret;

import dev.dockaudit.util.Glob;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules a scan uses: the built-in ones from {@code dockaudit/secret-rules.yaml}, changed by the user's
 * {@code --secret-config} file, which has the same shape:
 * <pre>
 * rules:                 # added rules (a built-in id may be reused only if disable-rules lists it: a replacement)
 *   - id: acme-token
 *     category: Acme
 *     title: Acme API token
 *     severity: HIGH
 *     regex: '\b(acme_[a-z0-9]{32})\b'
 *     keywords: [acme_]
 *     secret-group: 1      # optional: number or name; default the first group that matched
 *     entropy: 3.5         # optional: minimum Shannon entropy of the secret, bits per character
 *     paths: ['**&#47;*.env'] # optional: only these files
 *     allow: ['test$']     # optional: regexes on the secret that make a match harmless
 *     window: 0            # optional: bytes after the keyword a multi-line match may reach
 *     requires: ['@']      # optional: strings that must all be in the line before the regex runs
 *     starts-at-keyword: true  # optional: matches begin at a keyword (faster on files full of keywords)
 * disable-rules: [jwt]
 * allow-rules:
 *   - id: our-fixtures
 *     paths: ['srv/app/fixtures/**']
 * disable-allow-rules: [test-fixture-dirs]
 * </pre>
 * Every regex is re2j's (RE2 syntax: no backreferences or lookaround), so matching stays linear in the input.
 */
public final class SecretRuleSet {
    public static final String BUILT_IN_RESOURCE = "/dockaudit/secret-rules.yaml";

    private static final Set<String> TOP_FIELDS = Set.of("rules", "allow-rules", "disable-rules", "disable-allow-rules");
    private static final Set<String> RULE_FIELDS = Set.of("id", "category", "title", "severity", "description",
            "remediation", "regex", "secret-group", "keywords", "entropy", "paths", "allow", "window", "requires",
            "starts-at-keyword");
    private static final Set<String> ALLOW_FIELDS = Set.of("id", "description", "rules", "secrets", "lines", "paths");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,79}");
    static final int MAX_WINDOW = 64 * 1024;
    /** re2j's own cap on a compiled program is generous; a rule bigger than this is surely a mistake. */
    private static final int MAX_PROGRAM = 200_000;

    private static volatile SecretRuleSet builtIn;

    private final List<SecretRule> rules;
    private final List<AllowRule> allowRules;
    private final KeywordMatcher keywords;
    /** For keyword id k: indexes into {@link #rules} of the rules that use it. */
    private final int[][] rulesByKeyword;
    private final List<Integer> keywordless;
    private final List<AllowRule> fileSkips;
    private final List<AllowRule> matchAllows;

    private SecretRuleSet(List<SecretRule> rules, List<AllowRule> allowRules) {
        this.rules = List.copyOf(rules);
        this.allowRules = List.copyOf(allowRules);
        Map<String, List<Integer>> byWord = new LinkedHashMap<>();
        List<Integer> none = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            SecretRule r = rules.get(i);
            if (r.keywords().isEmpty()) {
                none.add(i);
            }
            for (String k : r.keywords()) {
                List<Integer> l = byWord.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>());
                if (!l.contains(i)) {
                    l.add(i);
                }
            }
        }
        List<String> words = new ArrayList<>(byWord.keySet());
        keywords = new KeywordMatcher(words);
        rulesByKeyword = new int[words.size()][];
        for (int k = 0; k < words.size(); k++) {
            rulesByKeyword[k] = byWord.get(words.get(k)).stream().mapToInt(Integer::intValue).toArray();
        }
        keywordless = List.copyOf(none);
        List<AllowRule> skips = new ArrayList<>();
        List<AllowRule> others = new ArrayList<>();
        for (AllowRule a : allowRules) {
            (a.skipsFiles() ? skips : others).add(a);
        }
        fileSkips = List.copyOf(skips);
        matchAllows = List.copyOf(others);
    }

    /** The built-in rules and allow rules, parsed once. */
    public static SecretRuleSet builtIn() {
        SecretRuleSet b = builtIn;
        if (b == null) {
            synchronized (SecretRuleSet.class) {
                b = builtIn;
                if (b == null) {
                    b = loadBuiltIn();
                    builtIn = b;
                }
            }
        }
        return b;
    }

    /**
     * Starts parsing the built-in rules on a daemon thread (YAML and 139 regexes take a few hundred milliseconds
     * in a cold JVM), so a pipeline can call this first and find them ready when the first layer arrives.
     */
    public static void preloadInBackground() {
        if (builtIn != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                builtIn();
            } catch (RuntimeException e) {
                // reported again, on the caller's thread, when the rules are used
            }
        }, "secret-rules-preload");
        t.setDaemon(true);
        t.start();
    }

    private static SecretRuleSet loadBuiltIn() {
        try (InputStream in = SecretRuleSet.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN_RESOURCE + " is missing from the build");
            }
            JsonNode root = yaml().readTree(in);
            Parsed p = parse(root, "built-in secret rules", true);
            return new SecretRuleSet(p.rules, p.allows);
        } catch (IOException | UserError e) {
            throw new IllegalStateException("built-in secret rules do not load: " + e.getMessage(), e);
        }
    }

    /** The built-in rules changed by the user's YAML file ({@code --secret-config}). */
    public static SecretRuleSet withUserConfig(Path file) {
        String where = "secret config " + file;
        JsonNode root;
        try {
            root = yaml().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new UserError(where + ": no such file; check the --secret-config path");
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError(where + ": not readable YAML: " + why);
        }
        return builtIn().with(root, where);
    }

    /** The built-in rules changed by a user config already read (tests, and configs given inline). */
    public static SecretRuleSet withUserConfig(String yaml, String where) {
        JsonNode root;
        try {
            root = yaml().readTree(yaml);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError(where + ": not readable YAML: " + why);
        }
        return builtIn().with(root, where);
    }

    private SecretRuleSet with(JsonNode root, String where) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return this; // an empty file changes nothing
        }
        Parsed p = parse(root, where, false);
        Map<String, SecretRule> byId = new LinkedHashMap<>();
        for (SecretRule r : rules) {
            byId.put(r.id(), r);
        }
        for (String id : p.disable) {
            if (byId.remove(id) == null) {
                throw new UserError(where + ": disable-rules names '" + id + "', which is not a built-in rule"
                        + suggestion(id, idsOf(rules)));
            }
        }
        for (SecretRule r : p.rules) {
            if (byId.containsKey(r.id())) {
                throw new UserError(where + ": rule '" + r.id() + "': a built-in rule has this id; pick another id, or"
                        + " list it under disable-rules to replace the built-in rule");
            }
            byId.put(r.id(), r);
        }
        Map<String, AllowRule> allowById = new LinkedHashMap<>();
        for (AllowRule a : allowRules) {
            allowById.put(a.id(), a);
        }
        for (String id : p.disableAllow) {
            if (allowById.remove(id) == null) {
                throw new UserError(where + ": disable-allow-rules names '" + id + "', which is not a built-in allow rule"
                        + suggestion(id, new ArrayList<>(allowRulesById().keySet())));
            }
        }
        for (AllowRule a : p.allows) {
            if (allowById.containsKey(a.id())) {
                throw new UserError(where + ": allow rule '" + a.id() + "': a built-in allow rule has this id; pick another"
                        + " id, or list it under disable-allow-rules to replace it");
            }
            allowById.put(a.id(), a);
        }
        return new SecretRuleSet(new ArrayList<>(byId.values()), new ArrayList<>(allowById.values()));
    }

    /** A YAML reader that rejects a key given twice in one mapping (the second would silently win). */
    private static YAMLMapper yaml() {
        return YAMLMapper.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    private Map<String, AllowRule> allowRulesById() {
        Map<String, AllowRule> m = new LinkedHashMap<>();
        for (AllowRule a : allowRules) {
            m.put(a.id(), a);
        }
        return m;
    }

    private static List<String> idsOf(List<SecretRule> rs) {
        List<String> ids = new ArrayList<>();
        for (SecretRule r : rs) {
            ids.add(r.id());
        }
        return ids;
    }

    private static String suggestion(String id, List<String> known) {
        for (String k : known) {
            if (k.contains(id) || id.contains(k)) {
                return " (did you mean '" + k + "'?)";
            }
        }
        return "";
    }

    public List<SecretRule> rules() {
        return rules;
    }

    public List<AllowRule> allowRules() {
        return allowRules;
    }

    public SecretRule rule(String id) {
        for (SecretRule r : rules) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    KeywordMatcher keywords() {
        return keywords;
    }

    int[] rulesForKeyword(int keyword) {
        return rulesByKeyword[keyword];
    }

    List<Integer> keywordlessRules() {
        return keywordless;
    }

    /** True when an allow rule says files at {@code path} need not be read (documentation, test fixtures …). */
    public boolean skipsPath(String path) {
        for (AllowRule a : fileSkips) {
            if (a.matchesPath(path)) {
                return true;
            }
        }
        return false;
    }

    /** The allow rule that keeps this match out of the report, or null. */
    AllowRule allowing(SecretRule rule, String path, String secret, String line) {
        if (rule.allowed(secret)) {
            return ALLOWED_BY_RULE;
        }
        for (AllowRule a : matchAllows) {
            if (a.allows(rule.id(), path, secret, line)) {
                return a;
            }
        }
        if (path != null) {
            for (AllowRule a : fileSkips) {
                if (a.matchesPath(path)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static final AllowRule ALLOWED_BY_RULE = new AllowRule("rule-allow", "the rule's own allow list", Set.of(),
            List.of(), List.of(), List.of(), true);

    // ---- parsing ------------------------------------------------------------------------------------------------

    private record Parsed(List<SecretRule> rules, List<AllowRule> allows, List<String> disable, List<String> disableAllow) {
    }

    private static Parsed parse(JsonNode root, String where, boolean builtIn) {
        if (!root.isObject()) {
            throw new UserError(where + ": expected a mapping with rules, allow-rules, disable-rules or disable-allow-rules"
                    + " at the top");
        }
        unknownFields(root, TOP_FIELDS, where);
        List<SecretRule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        JsonNode rs = root.path("rules");
        if (!rs.isMissingNode() && !rs.isNull()) {
            if (!rs.isArray()) {
                throw new UserError(where + ": rules must be a list");
            }
            int i = 0;
            for (JsonNode n : rs) {
                SecretRule r = rule(n, where, i++, builtIn);
                if (!ids.add(r.id())) {
                    throw new UserError(where + ": rule '" + r.id() + "' is defined twice");
                }
                rules.add(r);
            }
        }
        List<AllowRule> allows = new ArrayList<>();
        Set<String> allowIds = new LinkedHashSet<>();
        JsonNode as = root.path("allow-rules");
        if (!as.isMissingNode() && !as.isNull()) {
            if (!as.isArray()) {
                throw new UserError(where + ": allow-rules must be a list");
            }
            int i = 0;
            for (JsonNode n : as) {
                AllowRule a = allow(n, where, i++, builtIn);
                if (!allowIds.add(a.id())) {
                    throw new UserError(where + ": allow rule '" + a.id() + "' is defined twice");
                }
                allows.add(a);
            }
        }
        return new Parsed(rules, allows, stringList(root, "disable-rules", where), stringList(root, "disable-allow-rules", where));
    }

    private static SecretRule rule(JsonNode n, String where, int index, boolean builtIn) {
        if (!n.isObject()) {
            throw new UserError(where + ": rules[" + index + "] must be a mapping with id, title, severity, regex …");
        }
        String id = text(n, "id", where + ": rules[" + index + "]", true);
        String ctx = where + ": rule '" + id + "'";
        if (!ID.matches(id)) {
            throw new UserError(ctx + ": the id must be lower-case letters, digits, '.', '_' or '-' (at most 80)");
        }
        unknownFields(n, RULE_FIELDS, ctx);
        String category = text(n, "category", ctx, false);
        String title = text(n, "title", ctx, true);
        String sevText = text(n, "severity", ctx, true);
        Severity severity;
        try {
            severity = Severity.parse(sevText);
        } catch (IllegalArgumentException e) {
            throw new UserError(ctx + ": " + e.getMessage());
        }
        String regexText = text(n, "regex", ctx, true);
        Pattern regex = regex(regexText, ctx + ": regex");
        if (regex.matches("")) {
            throw new UserError(ctx + ": regex matches the empty string, so it would match everywhere; make it require"
                    + " the secret");
        }
        int group = -1;
        JsonNode g = n.get("secret-group");
        if (g != null && !g.isNull()) {
            if (g.isInt()) {
                group = g.intValue();
                if (group < 0 || group > regex.groupCount()) {
                    throw new UserError(ctx + ": secret-group " + group + " does not exist; the regex has "
                            + regex.groupCount() + " group(s)");
                }
            } else if (g.isTextual()) {
                Integer idx = regex.namedGroups().get(g.textValue());
                if (idx == null) {
                    throw new UserError(ctx + ": secret-group '" + g.textValue() + "' is not a named group of the regex"
                            + " (name one with (?P<name>…))");
                }
                group = idx;
            } else {
                throw new UserError(ctx + ": secret-group must be a group number or name");
            }
        }
        List<String> keywords = stringList(n, "keywords", ctx);
        for (String k : keywords) {
            if (k.length() < 2 || !k.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new UserError(ctx + ": keyword '" + k + "' must be at least 2 printable ASCII characters");
            }
        }
        double entropy = 0;
        JsonNode e = n.get("entropy");
        if (e != null && !e.isNull()) {
            if (!e.isNumber() || e.doubleValue() < 0 || e.doubleValue() > 8) {
                throw new UserError(ctx + ": entropy must be a number of bits per character between 0 and 8");
            }
            entropy = e.doubleValue();
        }
        int window = 0;
        JsonNode w = n.get("window");
        if (w != null && !w.isNull()) {
            if (!w.isInt() || w.intValue() < 0 || w.intValue() > MAX_WINDOW) {
                throw new UserError(ctx + ": window must be a number of bytes between 0 and " + MAX_WINDOW);
            }
            window = w.intValue();
        }
        List<Glob> paths = globs(stringList(n, "paths", ctx), ctx);
        if (builtIn && keywords.isEmpty() && paths.isEmpty()) {
            throw new UserError(ctx + ": built-in rules need keywords or paths");
        }
        List<Pattern> allow = new ArrayList<>();
        for (String a : stringList(n, "allow", ctx)) {
            allow.add(regex(a, ctx + ": allow regex"));
        }
        List<byte[]> requires = new ArrayList<>();
        for (String r : stringList(n, "requires", ctx)) {
            if (r.isEmpty() || !r.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new UserError(ctx + ": requires '" + r + "' must be printable ASCII");
            }
            requires.add(r.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Pattern anchored = null;
        JsonNode a = n.get("starts-at-keyword");
        if (a != null && !a.isNull()) {
            if (!a.isBoolean()) {
                throw new UserError(ctx + ": starts-at-keyword must be true or false");
            }
            if (a.booleanValue()) {
                if (keywords.isEmpty() || window > 0) {
                    throw new UserError(ctx + ": starts-at-keyword needs keywords and no window");
                }
                // one character of left context, so \b and [^a-z] guards at the start still see what precedes
                // the original regex is group 1 of the anchored one, so its own groups are numbered one higher
                anchored = regex("(?s:.)?(" + regexText + ")", ctx + ": regex");
            }
        }
        return new SecretRule(id, category == null ? "Custom" : category, title, severity,
                text(n, "description", ctx, false), text(n, "remediation", ctx, false), regex, group,
                List.copyOf(keywords), entropy, paths, List.copyOf(allow), window, anchored, List.copyOf(requires), builtIn);
    }

    private static AllowRule allow(JsonNode n, String where, int index, boolean builtIn) {
        if (!n.isObject()) {
            throw new UserError(where + ": allow-rules[" + index + "] must be a mapping with id and paths, secrets or lines");
        }
        String id = text(n, "id", where + ": allow-rules[" + index + "]", true);
        String ctx = where + ": allow rule '" + id + "'";
        if (!ID.matches(id)) {
            throw new UserError(ctx + ": the id must be lower-case letters, digits, '.', '_' or '-' (at most 80)");
        }
        unknownFields(n, ALLOW_FIELDS, ctx);
        List<Pattern> secrets = new ArrayList<>();
        for (String s : stringList(n, "secrets", ctx)) {
            secrets.add(regex(s, ctx + ": secrets regex"));
        }
        List<Pattern> lines = new ArrayList<>();
        for (String s : stringList(n, "lines", ctx)) {
            lines.add(regex(s, ctx + ": lines regex"));
        }
        List<Glob> paths = globs(stringList(n, "paths", ctx), ctx);
        if (secrets.isEmpty() && lines.isEmpty() && paths.isEmpty()) {
            throw new UserError(ctx + ": give at least one of paths, secrets or lines");
        }
        return new AllowRule(id, text(n, "description", ctx, false), Set.copyOf(stringList(n, "rules", ctx)),
                List.copyOf(secrets), List.copyOf(lines), paths, builtIn);
    }

    static Pattern regex(String text, String ctx) {
        Pattern p;
        try {
            p = Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new UserError(ctx + " is not valid RE2 syntax: " + e.getDescription()
                    + (e.getPattern() == null || e.getPattern().isEmpty() ? "" : " at '" + clip(e.getPattern()) + "'")
                    + "; re2j has no backreferences or lookaround");
        } catch (RuntimeException | StackOverflowError e) {
            throw new UserError(ctx + " is rejected by re2j: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
        if (p.programSize() > MAX_PROGRAM) {
            throw new UserError(ctx + " compiles to " + p.programSize() + " instructions (limit " + MAX_PROGRAM
                    + "); use smaller repetition counts");
        }
        return p;
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static List<Glob> globs(List<String> texts, String ctx) {
        List<Glob> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(Glob.compile(t));
            } catch (IllegalArgumentException e) {
                throw new UserError(ctx + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static void unknownFields(JsonNode n, Set<String> known, String ctx) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                List<String> sorted = new ArrayList<>(known);
                Collections.sort(sorted);
                throw new UserError(ctx + ": unknown field '" + f + "'; known fields are " + String.join(", ", sorted));
            }
        }
    }

    private static String text(JsonNode n, String field, String ctx, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new UserError(ctx + ": " + field + " is missing");
            }
            return null;
        }
        if (!v.isValueNode() || v.isBinary()) {
            throw new UserError(ctx + ": " + field + " must be a string");
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            throw new UserError(ctx + ": " + field + " is empty");
        }
        return s;
    }

    private static List<String> stringList(JsonNode n, String field, String ctx) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw new UserError(ctx + ": " + field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isValueNode() || e.isNull()) {
                throw new UserError(ctx + ": " + field + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
