package dev.dockaudit.check.history;

import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;

/** The history rules: stable ids, default severities, CIS numbers where one applies, remediations. */
public enum HistoryRule {
    BUILD_ARG_SECRET("HIST-BUILD-ARG-SECRET", Severity.HIGH, "4.10", "Secret build arg recorded in the image history",
            "Never pass secrets as build args: docker history shows them to anyone who pulls the image. Use BuildKit"
                    + " secrets (RUN --mount=type=secret,id=npm,env=NPM_TOKEN …) and rotate the exposed value."),
    BUILD_ARGS("HIST-BUILD-ARGS", Severity.INFO, null, "Build args recorded in the image history",
            "Build args a RUN step uses are public in docker history; keep anything confidential out of them."),
    WASTED_SPACE("HIST-WASTED-SPACE", Severity.INFO, null, "Bytes shipped but overwritten or removed by later layers",
            "Remove files in the same RUN that creates them, use multi-stage builds to copy only the output, and avoid"
                    + " chmod/chown of whole trees in a later step (that copies every file again)."),
    MAX_WASTED_BYTES("HIST-MAX-WASTED-BYTES", Severity.MEDIUM, null, "Wasted bytes above the allowed maximum",
            "Reduce the waste (see the largest wasted files) or raise --max-wasted-bytes."),
    MIN_EFFICIENCY("HIST-MIN-EFFICIENCY", Severity.MEDIUM, null, "Layer efficiency below the required minimum",
            "Reduce the waste (see the largest wasted files) or lower --min-efficiency.");

    public final String id;
    public final Severity severity;
    public final String cis;
    public final String title;
    public final String remediation;

    HistoryRule(String id, Severity severity, String cis, String title, String remediation) {
        this.id = id;
        this.severity = severity;
        this.cis = cis;
        this.title = title;
        this.remediation = remediation;
    }

    public Finding.Builder finding(String specificTitle) {
        return Finding.builder(id, Category.HISTORY, severity, specificTitle).cis(cis).remediation(remediation);
    }
}
