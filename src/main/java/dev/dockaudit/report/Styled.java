package dev.dockaudit.report;

/** A human-readable writer that lays out for the terminal it writes to (width, colour). */
public interface Styled {
    void style(TextStyle style);
}
