package dev.dockaudit.check.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.HistoryEntry;
import dev.dockaudit.image.ImageConfigs;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in the image configuration (CIS 4.10): environment variables, labels, entrypoint and command, and the
 * build history, where {@code docker history --no-trunc} shows every build argument a RUN step saw. Two checks:
 * the secret rules over each value ({@code SECRET-<rule id>}), and for variables, labels and build arguments whose
 * name says they hold a secret (DB_PASSWORD, NPM_TOKEN …) a literal value ({@link #SENSITIVE_ENV},
 * {@link #SENSITIVE_LABEL}, {@link #SENSITIVE_BUILD_ARG}).
 */
public final class ConfigSecrets {
    public static final String SENSITIVE_ENV = SecretFindings.ID_PREFIX + "sensitive-env";
    public static final String SENSITIVE_LABEL = SecretFindings.ID_PREFIX + "sensitive-label";
    public static final String SENSITIVE_BUILD_ARG = SecretFindings.ID_PREFIX + "sensitive-build-arg";

    private static final Set<String> SENSITIVE_WORDS = Set.of("PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE",
            "SECRET", "SECRETS", "TOKEN", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY", "CREDENTIAL", "CREDENTIALS",
            "AUTHTOKEN", "CLIENTSECRET");
    private static final Set<String> SENSITIVE_PAIRS = Set.of("API_KEY", "ACCESS_KEY", "SECRET_KEY", "PRIVATE_KEY",
            "CLIENT_SECRET", "AUTH_TOKEN", "MASTER_KEY", "ENCRYPTION_KEY", "SIGNING_KEY", "LICENSE_KEY", "APP_KEY");
    /** Name parts that say the value is about a secret rather than the secret itself. */
    private static final Set<String> NOT_THE_SECRET = Set.of("FILE", "PATH", "DIR", "NAME", "USER", "USERNAME", "ID",
            "LENGTH", "LEN", "SIZE", "TYPE", "ALGORITHM", "ALG", "FORMAT", "HEADER", "TTL", "EXPIRY", "EXPIRES",
            "TIMEOUT", "PUBLIC", "PUB", "GPG", "PGP", "FINGERPRINT", "KEYRING", "KEYSERVER", "MIN", "MAX", "POLICY",
            "ENABLED", "REQUIRED", "COMMAND", "CMD", "SHA256", "SHA512", "SHA1", "SHA", "MD5", "CHECKSUM", "HASH", "URL",
            "URI", "ENDPOINT", "HOST", "PORT", "MODE", "PROVIDER", "VERSION", "FIELD", "PARAM", "PREFIX", "REGEX",
            "STORE", "BACKEND", "MANAGER", "SOURCE", "ENGINE", "METHOD", "SCOPE", "SCOPES", "AUDIENCE", "ISSUER", "REALM",
            "KIND", "LOCATION", "REF", "NAMESPACE");
    private static final Pattern BUILD_ARGS = Pattern.compile("^(?:RUN\\s+)?\\|(\\d+)\\s+");
    private static final Pattern NAME_VALUE = Pattern.compile("\\G([A-Za-z_][A-Za-z0-9_]*)=(\\S*)\\s+");
    private static final Pattern ENV_STEP = Pattern.compile("(?:#\\(nop\\)\\s*|^)ENV\\s+(.*)$", Pattern.DOTALL);

    private final SecretScanner scanner;

    public ConfigSecrets(SecretScanner scanner) {
        this.scanner = scanner;
    }

    /** Every check over an image config JSON (the one whose digest is the image ID). */
    public List<Finding> scan(JsonNode imageConfig) {
        List<Finding> out = new ArrayList<>();
        if (imageConfig == null) {
            return out;
        }
        JsonNode c = imageConfig.path("config");
        List<String> env = strings(c.path("Env"));
        out.addAll(env(env));
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = c.path("Labels");
        if (l.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                labels.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        out.addAll(labels(labels));
        out.addAll(command("Entrypoint", strings(c.path("Entrypoint"))));
        out.addAll(command("Cmd", strings(c.path("Cmd"))));
        out.addAll(history(ImageConfigs.history(imageConfig), env));
        return out;
    }

    /** Environment variables, each {@code NAME=value}. */
    public List<Finding> env(List<String> env) {
        List<Finding> out = new ArrayList<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? "" : e.substring(eq + 1);
            List<Finding> byRule = byRules(value, "env " + name, "ENV " + name + "=", "environment variable " + name);
            out.addAll(byRule);
            if (byRule.isEmpty() && sensitiveName(name) && literalSecret(value, "env:" + name)) {
                out.add(sensitive(SENSITIVE_ENV, "Secret in environment variable " + name,
                        "The image sets " + name + ", whose name says it holds a secret, to a literal value. Every"
                                + " container started from the image, and everyone who can inspect it, sees the value.",
                        "ENV " + name + "=" + SecretScanner.mask(value)));
            }
        }
        return out;
    }

    public List<Finding> labels(Map<String, String> labels) {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            List<Finding> byRule = byRules(e.getValue(), "label " + e.getKey(), "LABEL " + e.getKey() + "=",
                    "label " + e.getKey());
            out.addAll(byRule);
            String last = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            if (byRule.isEmpty() && sensitiveName(last) && literalSecret(e.getValue(), "label:" + e.getKey())) {
                out.add(sensitive(SENSITIVE_LABEL, "Secret in label " + e.getKey(),
                        "The label " + e.getKey() + " has a name that says it holds a secret and a literal value;"
                                + " labels are public to anyone who can pull or inspect the image.",
                        "LABEL " + e.getKey() + "=" + SecretScanner.mask(e.getValue())));
            }
        }
        return out;
    }

    /** The entrypoint or command ({@code field} is "Entrypoint" or "Cmd"). */
    public List<Finding> command(String field, List<String> argv) {
        if (argv.isEmpty()) {
            return List.of();
        }
        return byRules(String.join(" ", argv), field.toLowerCase(Locale.ROOT), field + " ", field.toLowerCase(Locale.ROOT));
    }

    /**
     * The build history: each step's command through the secret rules, and the build arguments a RUN step saw
     * ({@code |2 NPM_TOKEN=… A=b /bin/sh -c …}) and ENV steps whose names say they hold a secret. An ENV value
     * still in {@code finalEnv} is reported once, by {@link #env}; one a later step changed is reported here,
     * because the history still shows it.
     */
    public List<Finding> history(List<HistoryEntry> history, List<String> finalEnv) {
        List<Finding> out = new ArrayList<>();
        Set<String> current = Set.copyOf(finalEnv);
        for (int i = 0; i < history.size(); i++) {
            String cmd = history.get(i).createdBy();
            if (cmd == null || cmd.isBlank()) {
                continue;
            }
            String where = "history step " + (i + 1);
            Matcher env = ENV_STEP.matcher(cmd.strip());
            if (env.find()) {
                // ENV NAME=value …: a value still in the final environment is reported once, by env()
                Matcher nv = NAME_VALUE.matcher(env.group(1).strip() + " ");
                while (nv.find()) {
                    String name = nv.group(1);
                    String value = unquote(nv.group(2));
                    if (current.contains(name + "=" + value)) {
                        continue;
                    }
                    List<Finding> byRule = byRules(value, where, where + ": ENV " + name + "=", where);
                    out.addAll(byRule);
                    if (byRule.isEmpty() && sensitiveName(name) && literalSecret(value, "env:" + name)) {
                        out.add(sensitive(SENSITIVE_ENV, "Secret in environment variable " + name + " (history)",
                                "Build step " + (i + 1) + " set " + name + " to a literal value. A later step changed or"
                                        + " cleared it, but the image history still records the value.",
                                where + ": ENV " + name + "=" + SecretScanner.mask(value)));
                    }
                }
                continue;
            }
            List<Finding> args = new ArrayList<>();
            for (Map.Entry<String, String> a : buildArgs(cmd).entrySet()) {
                if (sensitiveName(a.getKey()) && literalSecret(a.getValue(), "build-arg:" + a.getKey())
                        && specificMatches(a.getValue()).isEmpty()) {
                    args.add(sensitive(SENSITIVE_BUILD_ARG, "Secret in build argument " + a.getKey(),
                            "Build step " + (i + 1) + " ran with the build argument " + a.getKey() + ", whose name says it"
                                    + " holds a secret. Build arguments are recorded in the image history, so"
                                    + " `docker history --no-trunc` shows the value to everyone who pulls the image.",
                            where + ": " + a.getKey() + "=" + SecretScanner.mask(a.getValue())));
                }
            }
            out.addAll(args);
            for (Finding f : byRules(cmd, where, where + ": ", where)) {
                // a generic password= match on a build argument already reported above would say the same again
                if (args.isEmpty() || !isGeneric(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private List<SecretMatch> specificMatches(String value) {
        List<SecretMatch> out = new ArrayList<>();
        for (SecretMatch m : scanner.scanText(value, "value")) {
            if (!m.rule().generic()) {
                out.add(m);
            }
        }
        return out;
    }

    private boolean isGeneric(Finding f) {
        SecretRule r = scanner.ruleSet().rule(f.id().substring(SecretFindings.ID_PREFIX.length()));
        return r != null && r.generic();
    }

    /** The build arguments a RUN step saw, from the {@code |N name=value …} prefix docker records. */
    static Map<String, String> buildArgs(String createdBy) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = createdBy.strip();
        Matcher m = BUILD_ARGS.matcher(s);
        if (!m.find()) {
            return out;
        }
        int n = Integer.parseInt(m.group(1).length() > 4 ? "0" : m.group(1));
        Matcher nv = NAME_VALUE.matcher(s);
        nv.region(m.end(), s.length());
        for (int i = 0; i < n && nv.find(); i++) {
            out.put(nv.group(1), nv.group(2));
        }
        return out;
    }

    /** True when a variable name says its value is a secret (DB_PASSWORD, NPM_TOKEN), not about one (…_FILE). */
    public static boolean sensitiveName(String name) {
        String[] parts = name.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+");
        boolean sensitive = false;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (NOT_THE_SECRET.contains(p)) {
                return false;
            }
            if (SENSITIVE_WORDS.contains(p) || (i + 1 < parts.length && SENSITIVE_PAIRS.contains(p + "_" + parts[i + 1]))) {
                sensitive = true;
            }
        }
        return sensitive;
    }

    /** A value that is a literal secret: not empty, not a reference or path, not a placeholder an allow rule knows. */
    public boolean literalSecret(String value, String location) {
        String v = unquote(value.strip());
        if (v.length() < 4 || v.startsWith("/") || v.startsWith("$") || v.startsWith("{{") || v.startsWith("./")
                || v.startsWith("file:") || v.startsWith("vault:") || v.startsWith("arn:") || v.startsWith("secretsmanager:")) {
            return false;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (Set.of("true", "false", "yes", "no", "none", "null", "on", "off", "enabled", "disabled").contains(lower)) {
            return false;
        }
        for (AllowRule a : scanner.ruleSet().allowRules()) {
            if (!a.skipsFiles() && a.rules().isEmpty() && a.paths().isEmpty() && a.allows("", location, v, v)) {
                return false;
            }
        }
        return true;
    }

    private List<Finding> byRules(String text, String location, String evidencePrefix, String where) {
        List<Finding> out = new ArrayList<>();
        for (SecretMatch m : scanner.scanText(text, location)) {
            SecretRule r = m.rule();
            out.add(Finding.builder(SecretFindings.ID_PREFIX + r.id(), Category.SECRET, r.severity(),
                            r.title() + " in " + where)
                    .description(r.title() + " in the image configuration (" + where + "). Image configuration is"
                            + " readable by everyone who can pull or inspect the image."
                            + (r.description() == null ? "" : " " + r.description()))
                    .cis(SecretFindings.CIS_SECRETS)
                    .evidence(evidencePrefix + m.evidence())
                    .remediation(r.remediation() != null ? r.remediation() : SecretFindings.REMEDIATION)
                    .build());
        }
        return out;
    }

    private static Finding sensitive(String id, String title, String description, String evidence) {
        return Finding.builder(id, Category.SECRET, Severity.HIGH, title)
                .description(description)
                .cis(SecretFindings.CIS_SECRETS)
                .evidence(evidence)
                .remediation(SecretFindings.REMEDIATION)
                .build();
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (e.isValueNode()) {
                    out.add(e.asText());
                }
            }
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }
}
