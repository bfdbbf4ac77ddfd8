package dev.dockaudit.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format html} on each command that writes the image report, with the bundled seed's real findings. */
class HtmlCommandTest {
    static final String ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString();

    @TempDir
    Path tmp;

    @Test
    void everyImageCommandWritesAPage() throws Exception {
        for (String command : new String[] {"image", "vulns", "inspect", "history"}) {
            Cli.Result r = Cli.run(command, ALPINE, "--format", "html", "--no-progress");
            assertThat(r.exitCode()).as(command + ": " + r).isZero();
            HtmlChecks.structure(r.out());
            HtmlChecks.selfContained(r.out());
            HtmlChecks.strictPolicy(r.out());
            assertThat(r.out()).as(command).contains("dockaudit " + command + " report", "alpine:3.10", "Layers");
        }
        Cli.Result image = Cli.run("image", ALPINE, "--format", "html", "--no-progress");
        assertThat(image.out()).contains("CVE-2020-28928", "https://osv.dev/vulnerability/CVE-2020-28928", "musl-utils",
                "Alpine Linux v3.10");
    }

    @Test
    void badOutputTargetsAreInputErrors() {
        Path missing = tmp.resolve("missing/report.html");
        Cli.Result r = Cli.run("image", ALPINE, "--format", "html", "--no-progress", "-o", missing.toString());
        Expect.userError(r, "cannot write " + missing + ": the folder does not exist");
        assertThat(r.out()).isEmpty();
        Expect.userError(Cli.run("packages", ALPINE, "--format", "html"), "--format html is not available for packages");
    }
}
