package dev.dockaudit.vuln.version;

/** A version string that an ecosystem cannot parse. The message names the scheme, the string and the reason. */
public final class InvalidVersionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 80;

    private final String scheme;
    private final String version;
    private final String reason;

    public InvalidVersionException(String scheme, String version, String reason) {
        super(scheme + " version " + show(version) + " is invalid: " + reason);
        this.scheme = scheme;
        this.version = version;
        this.reason = reason;
    }

    public String scheme() {
        return scheme;
    }

    /** The offending string as given (may be null or very long; the message shows at most 80 characters). */
    public String version() {
        return version;
    }

    public String reason() {
        return reason;
    }

    private static String show(String v) {
        if (v == null) {
            return "(null)";
        }
        StringBuilder b = new StringBuilder(Math.min(v.length(), SHOWN) + 16).append('"');
        int n = Math.min(v.length(), SHOWN);
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
        if (v.length() > SHOWN) {
            b.append("… (").append(v.length()).append(" characters)");
        }
        return b.toString();
    }
}
