package dev.dockaudit.check.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** created_by strings as the classic builder, BuildKit and other tools write them, read back into instructions. */
class ConfigBuildInstructionTest {

    @Test
    void classicNopInstructions() {
        BuildInstruction cmd = BuildInstruction.parse("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]");
        assertThat(cmd.keyword()).isEqualTo("CMD");
        assertThat(cmd.arguments()).isEqualTo("[\"/bin/sh\"]");
        assertThat(cmd.buildKit()).isFalse();

        BuildInstruction add = BuildInstruction.parse("/bin/sh -c #(nop) ADD file:d48cac34fac385cbc1de6adfdd88300f in / ");
        assertThat(add.keyword()).isEqualTo("ADD");
        assertThat(add.copySources()).containsExactly("file:d48cac34fac385cbc1de6adfdd88300f");

        BuildInstruction copy = BuildInstruction.parse("/bin/sh -c #(nop) COPY multi:abc in /opt/app/ ");
        assertThat(copy.keyword()).isEqualTo("COPY");
        assertThat(copy.copySources()).containsExactly("multi:abc");

        assertThat(BuildInstruction.parse("/bin/sh -c #(nop)  EXPOSE 22").keyword()).isEqualTo("EXPOSE");
        assertThat(BuildInstruction.parse("/bin/sh -c #(nop)  USER root").arguments()).isEqualTo("root");
        assertThat(BuildInstruction.parse("cmd /S /C #(nop) WORKDIR C:\\app").keyword()).isEqualTo("WORKDIR");
    }

    @Test
    void classicRunWithAndWithoutBuildArgs() {
        BuildInstruction run = BuildInstruction.parse("/bin/sh -c apt-get update && apt-get install -y curl");
        assertThat(run.isRun()).isTrue();
        assertThat(run.shell()).isEqualTo("/bin/sh -c");
        assertThat(run.command()).isEqualTo("apt-get update && apt-get install -y curl");
        assertThat(run.buildArgs()).isEmpty();
        assertThat(run.guessed()).isFalse();

        BuildInstruction args = BuildInstruction.parse("|2 NPM_TOKEN=npm_abc123 VERSION=1.2 /bin/sh -c npm ci");
        assertThat(args.buildArgs()).containsExactly(Map.entry("NPM_TOKEN", "npm_abc123"), Map.entry("VERSION", "1.2"));
        assertThat(args.command()).isEqualTo("npm ci");

        // the builder does not quote: a value with spaces runs up to the shell prefix
        BuildInstruction spaced = BuildInstruction.parse("|1 GREETING=hello big world /bin/sh -c echo $GREETING");
        assertThat(spaced.buildArgs()).containsExactly(Map.entry("GREETING", "hello big world"));
        assertThat(spaced.command()).isEqualTo("echo $GREETING");

        BuildInstruction bash = BuildInstruction.parse("/bin/bash -o pipefail -c curl -fsSL x | bash");
        assertThat(bash.shell()).isEqualTo("/bin/bash -o pipefail -c");
        assertThat(bash.command()).isEqualTo("curl -fsSL x | bash");
    }

    @Test
    void buildKitForms() {
        BuildInstruction run = BuildInstruction.parse("RUN /bin/sh -c apk add --no-cache curl # buildkit");
        assertThat(run.isRun()).isTrue();
        assertThat(run.buildKit()).isTrue();
        assertThat(run.command()).isEqualTo("apk add --no-cache curl");

        BuildInstruction args = BuildInstruction.parse("RUN |1 GITHUB_TOKEN=ghp_x /bin/sh -c make # buildkit");
        assertThat(args.buildArgs()).containsEntry("GITHUB_TOKEN", "ghp_x");
        assertThat(args.command()).isEqualTo("make");

        BuildInstruction add = BuildInstruction.parse("ADD https://example.com/tool.tgz /opt/ # buildkit");
        assertThat(add.keyword()).isEqualTo("ADD");
        assertThat(add.copySources()).containsExactly("https://example.com/tool.tgz");

        BuildInstruction copy = BuildInstruction.parse("COPY --from=build --chown=app /out /app # buildkit");
        assertThat(copy.keyword()).isEqualTo("COPY");
        assertThat(copy.copySources()).containsExactly("/out");

        assertThat(BuildInstruction.parse("EXPOSE map[22/tcp:{}]").keyword()).isEqualTo("EXPOSE");
        assertThat(BuildInstruction.parse("ADD [\"a b.txt\", \"/dest/\"] # buildkit").copySources()).containsExactly("a b.txt");
        assertThat(BuildInstruction.parse("RUN [\"apk\", \"add\", \"x\"] # buildkit").command())
                .isEqualTo("[\"apk\", \"add\", \"x\"]");
    }

    @Test
    void textThatIsNoInstruction() {
        assertThat(BuildInstruction.parse(null).keyword()).isNull();
        assertThat(BuildInstruction.parse("").keyword()).isNull();
        assertThat(BuildInstruction.parse("# debian.sh --arch 'amd64' out/ 'bookworm' '@1716163200'").keyword()).isNull();
        // classic exec-form RUN and free text look alike: read as a RUN, marked as a guess
        BuildInstruction free = BuildInstruction.parse("unpack real Debian 12 .debs");
        assertThat(free.isRun()).isTrue();
        assertThat(free.guessed()).isTrue();
        // a lone keyword word is not an instruction with arguments
        assertThat(BuildInstruction.parse("RUN").guessed()).isTrue();
        assertThat(List.of(BuildInstruction.parse("|x broken").keyword())).containsExactly("RUN");
    }
}
