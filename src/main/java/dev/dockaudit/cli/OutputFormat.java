package dev.dockaudit.cli;

import dev.dockaudit.report.DpkgQueryWriter;
import dev.dockaudit.report.JsonReportWriter;
import dev.dockaudit.report.PackagesTableWriter;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.SarifWriter;
import dev.dockaudit.report.TableReportWriter;
import dev.dockaudit.report.sbom.CycloneDxWriter;
import dev.dockaudit.report.sbom.SpdxWriter;
import java.util.Locale;
import picocli.CommandLine;

/** The output formats; each command says which it writes. */
public enum OutputFormat {
    TABLE("table"), JSON("json"), SARIF("sarif"), DPKG_QUERY("dpkg-query"), CYCLONEDX("cyclonedx"), SPDX("spdx"), HTML("html"),
    JUNIT("junit");

    public final String label;

    OutputFormat(String label) {
        this.label = label;
    }

    /** The writer for a command; {@code packagesView} picks the package table over the image table. */
    ReportWriter writer(boolean packagesView) {
        return switch (this) {
            case TABLE -> packagesView ? new PackagesTableWriter() : new TableReportWriter();
            case JSON -> new JsonReportWriter();
            case SARIF -> new SarifWriter();
            case DPKG_QUERY -> new DpkgQueryWriter();
            case CYCLONEDX -> new CycloneDxWriter();
            case SPDX -> new SpdxWriter();
            case HTML -> new dev.dockaudit.report.html.HtmlReportWriter();
            case JUNIT -> new dev.dockaudit.report.JUnitWriter(null, null);
        };
    }

    /** Reads --format values by their label. */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.label.equals(value.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("unknown format '" + value + "' (formats: "
                    + String.join(", ", java.util.Arrays.stream(values()).map(f -> f.label).toList()) + ")");
        }
    }
}
