package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.util.TempFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/** Feeds files to analyzers the way the layer pass does: an entry, and its content read once. */
final class LangFixtures {
    static final Path RESOURCES = Path.of(System.getProperty("dockaudit.basedir", "."), "src/test/resources/lang");
    private static TempFiles temp;

    private LangFixtures() {
    }

    static synchronized TempFiles temp() {
        if (temp == null) {
            try {
                temp = new TempFiles();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return temp;
    }

    static LayerFile file(String path, long size, int mode) {
        return new LayerFile(path, LayerFile.Type.FILE, size, mode, 0, 0, null, 0);
    }

    /** Content from a supplier of fresh streams; counts what the analyzer reads through {@link #lastRead}. */
    static AnalyzerInput input(String path, long size, int mode, Supplier<InputStream> content) {
        return new AnalyzerInput(file(path, size, mode), new Reader(content.get()), temp());
    }

    static AnalyzerInput input(String path, byte[] content) {
        return input(path, content.length, 0644, () -> new ByteArrayInputStream(content));
    }

    static AnalyzerInput input(String path, Path file, int mode) throws IOException {
        long size = Files.size(file);
        return input(path, size, mode, () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs {@code a} on the file as the inventory would: only when it wants it. */
    static FileResult analyze(FileAnalyzer a, AnalyzerInput in) throws IOException {
        assertThat(a.wants(in.file())).as("%s wants %s", a.name(), in.path()).isTrue();
        return a.analyze(in);
    }

    static byte[] resource(String name) throws IOException {
        return Files.readAllBytes(RESOURCES.resolve(name));
    }

    /** A gzip-stored fixture, unpacked into the test's temporary folder. */
    static Path gunzip(String name) throws IOException {
        Path out = temp().newFile(name.replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(RESOURCES.resolve(name)))) {
            Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    static Package only(List<Package> ps, String name) {
        List<Package> m = ps.stream().filter(p -> p.name().equals(name)).toList();
        assertThat(m).as("packages named %s in %s", name, ps).hasSize(1);
        return m.get(0);
    }

    /** Like the layer scanner's reader: bytes are buffered once, then the stream continues after them. */
    static final class Reader implements LayerVisitor.ContentReader {
        private final InputStream in;
        private byte[] buffered = new byte[0];
        private boolean streamed;

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public byte[] read(int maxBytes) throws IOException {
            if (streamed) {
                throw new IllegalStateException("content already streamed");
            }
            if (buffered.length < maxBytes) {
                byte[] more = in.readNBytes(maxBytes - buffered.length);
                byte[] joined = Arrays.copyOf(buffered, buffered.length + more.length);
                System.arraycopy(more, 0, joined, buffered.length, more.length);
                buffered = joined;
            }
            return buffered.length <= maxBytes ? buffered : Arrays.copyOf(buffered, maxBytes);
        }

        @Override
        public InputStream stream() {
            streamed = true;
            return new SequenceInputStream(new ByteArrayInputStream(buffered), in);
        }
    }
}
