package dev.dockaudit.vuln.osv;

/** An OSV record that cannot be used; the message says what is wrong and where, e.g. {@code affected[2].ranges[0]: …}. */
public final class OsvFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public OsvFormatException(String message) {
        super(message, null, false, false);
    }
}
