package dev.dockaudit.report;

import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.trust.model.TrustResults;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dockaudit trust}'s table: what {@code docker trust inspect --pretty} prints (signed tags with digests and
 * signers, signers and their keys, administrative keys), plus what the registry serves for each signed tag, each
 * role's expiry, whether the data verified, and the findings.
 */
public final class TrustTableWriter implements ReportWriter, Styled {
    private TextStyle style = TextStyle.PLAIN;

    @Override
    public void style(TextStyle s) {
        style = s;
    }

    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        TextStyle style = this.style;
        TrustResults trust = report.trust();
        NotaryResult n = trust == null ? null : trust.notary();
        String name = TableReportWriter.clean(report.image().displayName());
        if (n == null) {
            out.println();
            out.println("No trust data for " + name);
            out.println();
        } else {
            String repo = TableReportWriter.clean(n.repository());
            out.println();
            if (n.signedTags().isEmpty()) {
                out.println("No signatures for " + name);
                out.println();
            } else {
                out.println("Signatures for " + name);
                out.println();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"SIGNED TAG", "DIGEST", "SIGNERS", "REGISTRY"});
                for (NotaryResult.SignedTag t : n.signedTags()) {
                    List<String> signers = t.signers().equals(List.of("Repo Admin")) ? List.of("(Repo Admin)") : t.signers();
                    rows.add(new String[] {TableReportWriter.clean(t.tag()), t.digest() == null ? "-" : t.digest().replaceFirst("^sha256:", ""),
                            TableReportWriter.clean(String.join(", ", signers)), registry(t)});
                }
                style.table(out, rows, 0);
                // a mismatching digest is the evidence of the attack; a narrow table cell would cut it
                for (NotaryResult.SignedTag t : n.signedTags()) {
                    if (Boolean.FALSE.equals(t.matches()) && t.registryDigest() != null) {
                        style.printWrapped(out, "  tag " + TableReportWriter.clean(t.tag()) + ": ", 4, registry(t));
                    }
                }
            }
            if (!n.signers().isEmpty()) {
                out.println();
                out.println("List of signers and their keys for " + repo);
                out.println();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"SIGNER", "KEYS"});
                for (NotaryResult.Signer s : n.signers()) {
                    rows.add(new String[] {TableReportWriter.clean(s.name()),
                            String.join(", ", s.keyIds().stream().map(k -> k.length() > 12 ? k.substring(0, 12) : k).toList())});
                }
                style.table(out, rows, 0);
            }
            out.println();
            out.println("Administrative keys for " + repo);
            out.println();
            out.println(style.fit("  Repository Key:\t" + String.join(", ", n.administrativeKeys().getOrDefault("repository", List.of()))));
            out.println(style.fit("  Root Key:\t" + String.join(", ", n.administrativeKeys().getOrDefault("root", List.of()))));
            out.println();
            StringBuilder exp = new StringBuilder();
            for (Map.Entry<String, String> e : n.expires().entrySet()) {
                exp.append(exp.length() == 0 ? "" : ", ").append(TableReportWriter.clean(e.getKey())).append(' ').append(e.getValue());
            }
            style.printWrapped(out, "Expires:  ", 10, exp.toString());
            out.println(style.fit("Server:   " + TableReportWriter.clean(n.server())));
            out.println("Verified: " + (n.verified() ? "yes" : "NO (see the findings)"));
            out.println();
        }
        TableReportWriter.findings(out, report, style);
        TableReportWriter.notes(out, style, report.notes());
        out.flush();
    }

    private static String registry(NotaryResult.SignedTag t) {
        if (t.matches() == null) {
            return "not compared";
        }
        if (t.registryDigest() == null) {
            return "no such tag";
        }
        return t.matches() ? "serves the signed digest" : "MISMATCH: serves " + t.registryDigest();
    }
}
