package dev.dockaudit.trust.notary;

/** Where a repository's TUF metadata comes from: a notary server, or (in tests) a map of files. */
public interface MetadataSource {

    /** The server, for messages and the report. */
    String describe();

    /**
     * The bytes of {@code role}.json, at most {@code maxBytes + 1} of them: a longer answer is cut there so the
     * caller sees that it is too long without reading it all. Returns null when the server has no such file.
     * Transport failures are {@link dev.dockaudit.util.UserError}s.
     */
    byte[] fetch(String role, long maxBytes);
}
