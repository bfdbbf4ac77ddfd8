package dev.dockaudit.cli;

/** {@code --color auto|always|never}. */
public enum ColorMode {
    AUTO, ALWAYS, NEVER
}
