package dev.dockaudit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dockaudit completion bash|zsh}: a completion script for every command and option. picocli's generated bash
 * script also runs in zsh through bashcompinit, which the script itself turns on when it finds zsh.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a shell completion script (bash or zsh).",
        description = {"Print a shell completion script for dockaudit's commands and options."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(dockaudit completion bash)                  # this shell",
                "  dockaudit completion bash > /etc/bash_completion.d/dockaudit",
                "  source <(dockaudit completion zsh)                   # zsh"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @CommandLine.Option(names = "--config", paramLabel = "FILE", hidden = true)
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // a run registers only the command it names; the script must know them all
        CommandLine all = Main.fullCommandLine();
        String script = AutoComplete.bash("dockaudit", all);
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            out.println("#compdef dockaudit");
            out.println("# zsh runs the bash completion through bashcompinit (the script enables it)");
        }
        out.print(script);
        out.flush();
        return Main.EXIT_OK;
    }
}
