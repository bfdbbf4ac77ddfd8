package dev.dockaudit.report;

import dev.dockaudit.inventory.Package;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plain list {@code dpkg-query -W -f='${Package} ${Version} ${Architecture}\n'} prints, for every package
 * found (OS packages first), ready to paste into a vulnerability site.
 */
public final class DpkgQueryWriter implements ReportWriter {
    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        List<Package> packages = new ArrayList<>(report.inventory() == null ? List.of() : report.inventory().packages());
        packages.sort(Comparator.comparing((Package p) -> !p.type().isOs()).thenComparing(Package::name));
        for (Package p : packages) {
            out.println(p.name() + " " + p.version() + " " + (p.arch() == null ? "" : p.arch()));
        }
        out.flush();
    }
}
