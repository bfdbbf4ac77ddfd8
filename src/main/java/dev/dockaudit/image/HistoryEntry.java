package dev.dockaudit.image;

/** One line of {@code docker history}: a build step, which may or may not have produced a layer. */
public record HistoryEntry(String created, String createdBy, String comment, boolean emptyLayer) {
}
