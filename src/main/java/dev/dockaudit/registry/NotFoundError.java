package dev.dockaudit.registry;

import dev.dockaudit.util.UserError;

/** The registry answered 404: no such manifest or blob. Callers that expect absence (a deleted tag) catch this one. */
public final class NotFoundError extends UserError {
    private static final long serialVersionUID = 1L;

    public NotFoundError(String message) {
        super(message);
    }
}
