package dev.dockaudit.check.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads options out of the command line Podman records for a container ({@code Config.CreateCommand}, e.g.
 * {@code podman run -d --userns host alpine sleep 1}). Options end at the image argument, so the container's own
 * command ({@code sleep 1}) is never read as podman's options.
 */
final class CommandLines {
    private CommandLines() {
    }

    /** The last value of {@code --name VALUE} or {@code --name=VALUE}; null when absent. */
    static String option(ContainerFacts c, String name) {
        List<String> all = options(c, name);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every value of a repeatable option ({@code --ulimit a --ulimit=b}). */
    static List<String> options(ContainerFacts c, String name) {
        return options(c.createCommand(), name, c.imageName());
    }

    static List<String> options(List<String> argv, String name, String image) {
        List<String> out = new ArrayList<>();
        if (argv == null) {
            return out;
        }
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--") || isImage(a, image)) {
                break;
            }
            if (a.equals(name) && i + 1 < argv.size()) {
                out.add(argv.get(++i));
            } else if (a.startsWith(name + "=")) {
                out.add(a.substring(name.length() + 1));
            }
        }
        return out;
    }

    /** The image argument: the name Podman recorded (it qualifies short names: localhost/x:1, docker.io/library/x). */
    private static boolean isImage(String arg, String image) {
        if (image == null || arg.isEmpty() || arg.startsWith("-")) {
            return false;
        }
        return image.equals(arg) || image.endsWith("/" + arg) || image.endsWith("/" + arg + ":latest")
                || image.equals(arg + ":latest");
    }
}
