package dev.dockaudit.check.config;

import dev.dockaudit.report.Finding;

/**
 * A finding and the build step it belongs to ({@link BuildStep#index()}), so {@code dockaudit history} can print
 * it beside that step; {@code step} is -1 for findings about the image as a whole (no HEALTHCHECK, the tag).
 */
public record StepFinding(Finding finding, int step) {
}
