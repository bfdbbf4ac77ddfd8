package dev.dockaudit.check.runtime;

import dev.dockaudit.report.Finding;
import java.util.ArrayList;
import java.util.List;

/** What the checks found for one container, and which checks could not be decided and why. */
public final class Results {
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(Finding f) {
        findings.add(f);
    }

    public void undecidable(RuntimeCheck check, String why) {
        notes.add(check.id() + (check.cis() == null ? "" : " (CIS " + check.cis() + ")") + " not decided: " + why);
    }

    public void note(String n) {
        notes.add(n);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
