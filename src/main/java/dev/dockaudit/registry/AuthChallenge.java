package dev.dockaudit.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One {@code WWW-Authenticate} challenge (RFC 9110 §11.6.1): a scheme and its parameters. */
public record AuthChallenge(String scheme, Map<String, String> params) {

    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Parses every challenge in a header value; quoted strings may hold commas. */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int i = 0;
        int n = header.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && header.charAt(i) != ' ' && header.charAt(i) != '=' && header.charAt(i) != ',') {
                i++;
            }
            String token = header.substring(start, i);
            if (token.isEmpty()) {
                break;
            }
            // RFC 9110 allows whitespace around '=' in an auth-param; without looking past it, "realm = \"x\""
            // was read as a new scheme named "realm" and the realm was lost.
            int eq = i;
            while (eq < n && header.charAt(eq) == ' ') {
                eq++;
            }
            if (eq < n && header.charAt(eq) == '=') {
                i = eq + 1;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                String value;
                if (i < n && header.charAt(i) == '"') {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (i < n && header.charAt(i) != '"') {
                        if (header.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        b.append(header.charAt(i++));
                    }
                    i++;
                    value = b.toString();
                } else {
                    int vs = i;
                    while (i < n && header.charAt(i) != ',') {
                        i++;
                    }
                    value = header.substring(vs, i).trim();
                }
                params.put(token.toLowerCase(Locale.ROOT), value);
            } else {
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, params));
                    params = new LinkedHashMap<>();
                }
                scheme = token;
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
        }
        return out;
    }
}
