package dev.dockaudit.check.runtime;

import dev.dockaudit.check.secret.ConfigSecrets;
import dev.dockaudit.check.secret.SecretMatch;
import dev.dockaudit.check.secret.SecretRule;
import dev.dockaudit.check.secret.SecretScanner;
import dev.dockaudit.report.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Secrets in the container's own environment ({@code docker run -e}, {@code --env-file}): the variables the
 * container has beyond its image's, each through the secret rules, and literal values of variables whose names say
 * they hold a secret. Everyone who can inspect the container (or read /proc/PID/environ) sees them. Variables that
 * come from the image are the image audit's to report.
 */
final class EnvSecrets extends RuntimeCheck {
    private final SecretScanner scanner;
    private final ConfigSecrets names;

    EnvSecrets(SecretScanner scanner) {
        super("RT-ENV-SECRET", null, Severity.HIGH, "Secret in the container's environment",
                "A secret is passed to the container in an environment variable. Anyone who can inspect the container"
                        + " (docker inspect, the Engine API) or read its processes' environment sees it, and it ends up in"
                        + " logs and crash reports.",
                "Give the container its secrets as files (Docker or Podman secrets, or a read-only mounted file) instead"
                        + " of environment variables (--env-file puts them in the container's config just the same), and"
                        + " rotate the exposed secret.");
        this.scanner = scanner;
        this.names = new ConfigSecrets(scanner);
    }

    @Override
    public void check(ContainerFacts c, DaemonFacts d, Results out) {
        if (!c.node("Config").isObject()) {
            undecidable(out, "Config is missing");
            return;
        }
        Set<String> fromImage = c.imageEnv() == null ? Set.of() : new HashSet<>(c.imageEnv());
        for (String e : c.strings("Config.Env")) {
            if (fromImage.contains(e)) {
                continue;
            }
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? "" : e.substring(eq + 1);
            List<SecretMatch> matches = scanner.scanText(value, "env " + name);
            for (SecretMatch m : matches) {
                SecretRule r = m.rule();
                out.add(finding(r.severity(), r.title() + " in container environment variable " + name,
                        "Config.Env: " + name + "=" + m.evidence() + " (rule " + r.id() + ")"));
            }
            if (matches.isEmpty() && ConfigSecrets.sensitiveName(name) && names.literalSecret(value, "env:" + name)) {
                out.add(finding(Severity.HIGH, "Secret in container environment variable " + name,
                        "Config.Env: " + name + "=" + SecretScanner.mask(value)));
            }
        }
    }
}
