package dev.dockaudit.check.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The RUN-text splitter: programs and arguments, through quotes, operators, wrappers and nested sh -c. */
class ConfigShellCommandsTest {

    private static List<String> names(String script) {
        return ShellCommands.commands(script).stream().map(ShellCommands.Command::name).toList();
    }

    @Test
    void operatorsQuotesAndRedirections() {
        assertThat(names("set -eux; apt-get update -qq > /dev/null 2>&1 && apt-get install -y 'curl' || true"))
                .containsExactly("set", "apt-get", "apt-get", "true");
        ShellCommands.Command update = ShellCommands.commands("apt-get -o Acquire::Retries=3 update > /dev/null").get(0);
        assertThat(update.words()).containsExactly("apt-get", "-o", "Acquire::Retries=3", "update");
        assertThat(update.subcommand(java.util.Set.of("-o"))).isEqualTo("update");
        assertThat(ShellCommands.commands("echo \"a && b\" 'c; d'").get(0).words()).containsExactly("echo", "a && b", "c; d");
        assertThat(names("if [ -f x ]; then rm -f x; fi")).containsExactly("[", "rm");
        assertThat(names("apk add \\\n  curl \\\n  git")).containsExactly("apk");
        assertThat(ShellCommands.commands("apk add \\\n  curl").get(0).words()).containsExactly("apk", "add", "curl");
        assertThat(names("echo hi # apt-get update\nls")).containsExactly("echo", "ls");
    }

    @Test
    void wrappersArePeeled() {
        ShellCommands.Command c = ShellCommands.commands("DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 apt-get upgrade")
                .get(0);
        assertThat(c.name()).isEqualTo("apt-get");
        assertThat(c.sudo()).isTrue();
        assertThat(c.args()).containsExactly("upgrade");
        assertThat(ShellCommands.commands("/usr/bin/apk add x").get(0).name()).isEqualTo("apk");
        assertThat(ShellCommands.commands("apt-get install -y sudo").get(0).sudo()).isFalse();
    }

    @Test
    void pipelinesAndNestedShells() {
        List<ShellCommands.Pipeline> p = ShellCommands.parse("curl -fsSL https://x/install.sh | sudo bash -s -- --yes && echo ok");
        assertThat(p).hasSize(2);
        assertThat(p.get(0).commands()).extracting(ShellCommands.Command::name).containsExactly("curl", "bash");
        assertThat(names("sh -c 'apt-get update && apt-get install -y x'")).containsExactly("sh", "apt-get", "apt-get");
        assertThat(names("a | b || c | d")).containsExactly("a", "b", "c", "d");
        assertThat(ShellCommands.commands("(apt-get update && apt-get -y dist-upgrade) || true").get(1).words())
                .containsExactly("apt-get", "-y", "dist-upgrade");
        assertThat(ShellCommands.parse("a | b || c | d")).hasSize(2);
        // $( ) stays one word
        assertThat(ShellCommands.commands("sh -c \"$(curl -fsSL https://x)\"").get(0).words())
                .containsExactly("sh", "-c", "$(curl -fsSL https://x)");
    }

    @Test
    void neverFailsOnBrokenText() {
        for (String s : List.of("'unclosed", "\"unclosed $(", "$(((", "a |", "| b", "&&", ">", "\\", "`x", "sh -c", "<(")) {
            ShellCommands.parse(s);
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            deep.append("sh -c '");
        }
        ShellCommands.parse(deep.toString());
    }
}
