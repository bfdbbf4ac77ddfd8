package dev.dockaudit.trust.notary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metadata served from a map, as a notary server would (null for a 404), recording what was asked for. */
final class MapSource implements MetadataSource {
    final Map<String, byte[]> files;
    final List<String> fetched = new ArrayList<>();

    MapSource(Map<String, byte[]> files) {
        this.files = new LinkedHashMap<>(files);
    }

    @Override
    public String describe() {
        return "https://notary.test";
    }

    @Override
    public byte[] fetch(String role, long maxBytes) {
        fetched.add(role);
        byte[] b = files.get(role);
        if (b == null) {
            return null;
        }
        return b.length > maxBytes + 1 ? Arrays.copyOf(b, (int) maxBytes + 1) : b;
    }
}
