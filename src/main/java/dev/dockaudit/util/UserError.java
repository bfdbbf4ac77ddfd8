package dev.dockaudit.util;

/**
 * A problem with what the user gave us (a reference, a file, a server, credentials) rather than a bug.
 * The CLI prints it as one {@code dockaudit: error: ...} line and exits 2; the message must say what to do.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
