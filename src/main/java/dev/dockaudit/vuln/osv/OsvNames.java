package dev.dockaudit.vuln.osv;

import java.util.Locale;

/**
 * Package names as the database stores and looks them up. PyPI names are normalised as PEP 503 says (lower case,
 * every run of {@code -}, {@code _} and {@code .} becomes one {@code -}), because advisories and installed
 * metadata spell them differently ({@code PyYAML}, {@code pyyaml}; {@code zope.interface}, {@code zope-interface});
 * every other ecosystem's names are compared exactly as written.
 */
public final class OsvNames {
    private OsvNames() {
    }

    public static String normalise(String ecosystem, String name) {
        if (name == null || !"PyPI".equals(ecosystem)) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        boolean sep = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '-' || c == '_' || c == '.') {
                sep = true;
                continue;
            }
            if (sep) {
                b.append('-');
                sep = false;
            }
            b.append(c);
        }
        if (sep) {
            b.append('-');
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
