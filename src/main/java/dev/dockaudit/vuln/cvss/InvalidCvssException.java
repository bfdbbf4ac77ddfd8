package dev.dockaudit.vuln.cvss;

/**
 * A CVSS vector string that cannot be scored: malformed, missing a mandatory metric, or carrying a metric or value
 * the version does not define. The message names the vector and says which part is wrong. Advisory data is not user
 * input, so this is not a {@code UserError}: callers report the advisory and fall back to another rating.
 */
public class InvalidCvssException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String vector;

    public InvalidCvssException(String vector, String reason) {
        super("invalid CVSS vector '" + vector + "': " + reason);
        this.vector = vector;
    }

    /** The vector string as given. */
    public String vector() {
        return vector;
    }
}
