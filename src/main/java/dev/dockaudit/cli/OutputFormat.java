package dev.dockaudit.cli;

import dev.dockaudit.report.JsonReportWriter;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.TableReportWriter;

/** The output formats this build writes. */
public enum OutputFormat {
    table, json;

    ReportWriter writer() {
        return switch (this) {
            case table -> new TableReportWriter();
            case json -> new JsonReportWriter();
        };
    }
}
