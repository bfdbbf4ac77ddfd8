package dev.dockaudit.check.runtime;

import dev.dockaudit.check.secret.SecretScanner;
import java.util.ArrayList;
import java.util.List;

/** The catalogue of container checks, and running them over one container. */
public final class RuntimeChecks {
    private final List<RuntimeCheck> checks;

    private RuntimeChecks(List<RuntimeCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check; secrets in the environment are found with {@code scanner} (null leaves that check out). */
    public static RuntimeChecks all(SecretScanner scanner) {
        List<RuntimeCheck> list = new ArrayList<>();
        list.addAll(PrivilegeChecks.all());
        list.addAll(NamespaceChecks.all());
        list.addAll(MountChecks.all());
        list.addAll(NetworkChecks.all());
        list.addAll(ResourceChecks.all());
        list.addAll(ProcessChecks.all());
        if (scanner != null) {
            list.add(new EnvSecrets(scanner));
        }
        return new RuntimeChecks(list);
    }

    public List<RuntimeCheck> checks() {
        return checks;
    }

    public Results run(ContainerFacts container, DaemonFacts daemon) {
        Results out = new Results();
        for (RuntimeCheck c : checks) {
            c.check(container, daemon, out);
        }
        return out;
    }
}
