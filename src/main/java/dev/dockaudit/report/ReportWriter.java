package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a report in one output format. */
public interface ReportWriter {
    void write(Report report, OutputStream out) throws IOException;
}
