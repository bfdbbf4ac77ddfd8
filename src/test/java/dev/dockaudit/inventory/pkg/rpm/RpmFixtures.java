package dev.dockaudit.inventory.pkg.rpm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The rpm fixtures under src/test/resources/rpm (see PROVENANCE.md there). */
final class RpmFixtures {
    private RpmFixtures() {
    }

    /**
     * One line of {@code rpm -qa --qf} output, columns as make-fixtures.sh asks for them, as rpm printed them:
     * "(none)" for a missing tag (and for gpg-pubkey's SOURCERPM, whose value is the string "(none)").
     */
    record Expected(String name, String epoch, String version, String release, String arch, String sourceRpm,
                    String license, String vendor, String sigmd5, String modularityLabel, String evr) {
        String nevra() {
            return name + "-" + evr + "." + arch;
        }
    }

    /** A value the way rpm's query format prints it: "(none)" when absent. */
    static String printed(String v) {
        return v == null ? "(none)" : v;
    }

    static Path resource(String rel) {
        URL u = RpmFixtures.class.getResource("/rpm/" + rel);
        if (u == null) {
            throw new AssertionError("missing test resource rpm/" + rel);
        }
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A private copy of a fixture in {@code dir} (gunzipped when it ends in .gz), so tests may damage it. */
    static Path copy(String rel, Path dir, String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = open(rel)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    static InputStream open(String rel) throws IOException {
        InputStream in = Files.newInputStream(resource(rel));
        return rel.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    static List<String> lines(String rel) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(rel), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                out.add(l);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Expected> expected(String dir) {
        List<Expected> out = new ArrayList<>();
        for (String l : lines(dir + "/rpm-qa.tsv")) {
            String[] c = l.split("\t", -1);
            if (c.length != 11) {
                throw new AssertionError("bad line in " + dir + "/rpm-qa.tsv: " + l);
            }
            out.add(new Expected(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]));
        }
        return out;
    }
}
