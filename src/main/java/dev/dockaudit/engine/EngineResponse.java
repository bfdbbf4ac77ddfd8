package dev.dockaudit.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/** A response from the Engine API: status, headers (lower-case names) and a body that must be closed. */
public record EngineResponse(int status, Map<String, String> headers, InputStream body) implements AutoCloseable {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public byte[] readAll(int max) throws IOException {
        byte[] b = body.readNBytes(max + 1);
        if (b.length > max) {
            throw new IOException("Engine API reply is larger than " + max + " bytes");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
