package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a container report in one output format. */
public interface ContainerReportWriter {
    void write(ContainerReport report, OutputStream out) throws IOException;
}
