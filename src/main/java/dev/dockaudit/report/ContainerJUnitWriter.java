package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The container report as JUnit XML, with the policy and shape of {@link JUnitWriter}: the daemon's and each
 * container's runtime findings, and each distinct image's findings once, every testcase naming its daemon, container
 * or image.
 */
public final class ContainerJUnitWriter implements ContainerReportWriter {
    private final JUnitWriter junit;

    /** See {@link JUnitWriter#JUnitWriter(Severity, Set)}. */
    public ContainerJUnitWriter(Severity failOn, Set<Category> checked) {
        this.junit = new JUnitWriter(failOn, checked);
    }

    @Override
    public void write(ContainerReport report, OutputStream out) throws IOException {
        List<JUnitWriter.Item> items = new ArrayList<>();
        String daemon = "daemon " + report.daemon().engine();
        report.daemon().findings().stream().sorted(ContainerReport.ORDER).forEach(f -> items.add(new JUnitWriter.Item(f, daemon)));
        for (ContainerReport.Container c : report.containers()) {
            String subject = "container " + (c.name() == null ? ContainerTableWriter.shortId(c.id()) : c.name());
            c.findings().forEach(f -> items.add(new JUnitWriter.Item(f, subject)));
        }
        for (ContainerReport.ImageAudit i : report.images()) {
            if (i.report() != null) {
                String subject = "image " + SarifWriter.imageName(i.report().image());
                i.report().findings().forEach(f -> items.add(new JUnitWriter.Item(f, subject)));
            }
        }
        junit.write(items, "dockaudit container " + report.daemon().engine(), out);
    }
}
