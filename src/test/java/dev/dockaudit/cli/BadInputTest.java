package dev.dockaudit.cli;

import static dev.dockaudit.testing.TarBuilder.gzip;
import static dev.dockaudit.testing.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ImageArchives;
import dev.dockaudit.testing.TarBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the CLI: every case must exit 2 with exactly one stderr line that starts
 * {@code dockaudit: error:}, says what is wrong, has no stack trace, and comes quickly.
 */
class BadInputTest {
    private static final Path ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz");

    private static byte[] alpineTar;

    @TempDir
    Path dir;

    @BeforeAll
    static void gunzipAlpine() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(ALPINE))) {
            alpineTar = in.readAllBytes();
        }
    }

    /** Runs the CLI within a time bound and checks the bad-input contract; returns the error line. */
    static String badInput(Duration bound, String... args) {
        Cli.Result r = assertTimeoutPreemptively(bound, () -> Cli.run(args), "dockaudit took too long");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.EXIT_ERROR);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
        String line = r.errorLine();
        assertThat(line).startsWith("dockaudit: error: ");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        return line;
    }

    static String badInput(String... args) {
        return badInput(Duration.ofSeconds(20), args);
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private static byte[] layer() {
        return tar().dir("etc").file("etc/hostname", "box\n").file("bin/tool", new byte[5000]).bytes();
    }

    // ---- archives that are not (whole) archives ----

    @Test
    void truncatedTarArchive() throws IOException {
        Path p = write("trunc.tar", Arrays.copyOf(alpineTar, alpineTar.length / 2));
        assertThat(badInput("digests", p.toString())).contains(p.toString()).contains("truncated")
                .contains("re-create it");
        assertThat(badInput("image", p.toString())).contains("truncated");
    }

    @Test
    void truncatedGzipArchive() throws IOException {
        byte[] gz = Files.readAllBytes(ALPINE);
        Path p = write("trunc.tar.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThat(badInput("digests", p.toString())).contains("trunc.tar.gz is truncated or corrupt")
                .contains("Unexpected end of ZLIB input stream");
    }

    @Test
    void corruptGzipDeflateStream() throws IOException {
        byte[] gz = Files.readAllBytes(ALPINE);
        for (int at : new int[] {gz.length / 3, gz.length / 2, 2 * gz.length / 3}) {
            byte[] bad = gz.clone();
            bad[at] ^= 0x5a;
            Path p = write("flip" + at + ".tar.gz", bad);
            assertThat(badInput("digests", p.toString())).contains("is truncated or corrupt");
        }
    }

    @Test
    void corruptGzipCrc() throws IOException {
        byte[] gz = Files.readAllBytes(ALPINE).clone();
        gz[gz.length - 8] ^= 0x01;
        Path p = write("crc.tar.gz", gz);
        assertThat(badInput("digests", p.toString())).contains("is truncated or corrupt").contains("Corrupt GZIP trailer");
    }

    @Test
    void fileThatIsNotATar() throws IOException {
        Path p = write("notes.txt", "just some text, not an image\n".repeat(100).getBytes());
        assertThat(badInput("digests", p.toString())).contains("notes.txt").contains("not a readable tar archive")
                .contains("docker save");
        Path bin = write("random.bin", new java.util.Random(1).ints(20_000).collect(java.io.ByteArrayOutputStream::new,
                (o, i) -> o.write(i), (a, b) -> { }).toByteArray());
        assertThat(badInput("digests", bin.toString())).contains("random.bin");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = write("empty.tar", new byte[0]);
        assertThat(badInput("digests", p.toString())).isEqualTo("dockaudit: error: " + p
                + " is empty or not a tar archive; pass a docker save archive, an OCI archive, or a directory");
        Path z = write("zeros.tar", new byte[10240]);
        assertThat(badInput("digests", z.toString())).contains("is empty or not a tar archive");
    }

    @Test
    void tarThatIsNoImage() throws IOException {
        Path p = write("rootfs.tar", tar().file("etc/os-release", "ID=x").bytes());
        assertThat(badInput("digests", p.toString())).contains("has neither manifest.json nor index.json");
    }

    // ---- docker save archives that lie ----

    @Test
    void manifestNamingAMissingLayer() throws IOException {
        Path p = write("missing.tar", ImageArchives.dockerSave(layer()).layerPaths("deadbeef/layer.tar").bytes());
        assertThat(badInput("digests", p.toString())).contains("layer 0 (deadbeef/layer.tar) of " + p + " is missing")
                .contains("re-create it");
    }

    @Test
    void invalidJsonInManifest() throws IOException {
        Path p = write("badmanifest.tar", ImageArchives.dockerSave(layer()).manifest("[{\"Config\": \"x.json\", ").bytes());
        assertThat(badInput("digests", p.toString())).contains("manifest.json of").contains("is not valid JSON")
                .contains("corrupt");
    }

    @Test
    void manifestThatIsNotAList() throws IOException {
        Path p = write("objmanifest.tar", ImageArchives.dockerSave(layer()).manifest("{\"Config\":\"x.json\"}").bytes());
        assertThat(badInput("digests", p.toString())).contains("lists no image");
    }

    @Test
    void invalidJsonInConfig() throws IOException {
        Path p = write("badconfig.tar", ImageArchives.dockerSave(layer()).config("{\"architecture\": amd64}").bytes());
        assertThat(badInput("digests", p.toString())).contains("image config").contains("is not valid JSON");
    }

    @Test
    void configWithABadDiffId() throws IOException {
        Path p = write("baddiff.tar", ImageArchives.dockerSave(layer())
                .editConfig(c -> c.replaceFirst("sha256:[0-9a-f]{64}", "sha256:NOT-A-DIGEST")).bytes());
        assertThat(badInput("digests", p.toString())).contains("bad rootfs.diff_ids entry").contains("NOT-A-DIGEST")
                .contains("corrupt");
        Path md5 = write("md5diff.tar", ImageArchives.dockerSave(layer())
                .editConfig(c -> c.replaceFirst("sha256:[0-9a-f]{64}", "md5:d41d8cd98f00b204e9800998ecf8427e")).bytes());
        assertThat(badInput("digests", md5.toString())).contains("unsupported digest algorithm 'md5'");
    }

    @Test
    void layerPathClimbingOutOfTheArchiveIsRefusedAndNeverRead() throws IOException {
        for (String evil : new String[] {"../../etc/passwd", "x/../../../../etc/passwd"}) {
            Path p = write("escape.tar", ImageArchives.dockerSave(layer()).layerPaths(evil).bytes());
            String line = badInput("digests", p.toString());
            assertThat(line).contains("climbs out").contains(evil).doesNotContain("root:");
        }
        Path cfg = write("cfgescape.tar", ImageArchives.dockerSave(layer())
                .manifest("[{\"Config\":\"../../../../etc/passwd\",\"Layers\":[]}]").bytes());
        assertThat(badInput("digests", cfg.toString())).contains("climbs out").doesNotContain("root:");
    }

    @Test
    void absoluteLayerPathIsReadInsideTheArchive() throws IOException {
        ImageArchives.DockerSave save = ImageArchives.dockerSave(layer());
        String stored = String.format("%064x", 1) + "/layer.tar";
        Path p = write("abs.tar", save.layerPaths("/" + stored).bytes());
        Cli.Result r = Cli.run("digests", p.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().at("/image/layers/0/verified").asBoolean()).isTrue();
    }

    @Test
    void outerArchiveSymlinkLoop() throws IOException {
        Path p = write("loop.tar", tar().symlink("manifest.json", "a.json").symlink("a.json", "b/../manifest.json")
                .file("x", "x").bytes());
        assertThat(badInput(Duration.ofSeconds(5), "digests", p.toString())).contains("manifest.json")
                .contains("symlink loop");
    }

    @Test
    void outerArchiveSymlinkToAHostFileIsNotFollowedOutside() throws IOException {
        Path p = write("hostlink.tar", tar().symlink("manifest.json", "../../../../../etc/passwd").file("x", "x").bytes());
        assertThat(badInput("digests", p.toString())).contains("has neither manifest.json nor index.json")
                .doesNotContain("root:");
    }

    @Test
    void namesFromTheArchiveCannotBreakTheErrorLine() throws IOException {
        byte[] save = ImageArchives.dockerSave(layer()).manifest("[{\"Config\":\"c.json\",\"RepoTags\":[\"evil\\n\\u001b[31mtag\"],"
                + "\"Layers\":[]},{\"Config\":\"c.json\",\"RepoTags\":[\"x\\r\\u009b2J\"],\"Layers\":[]}]").bytes();
        Path p = write("evil-tags.tar", save);
        String line = badInput("digests", "docker-archive:" + p + ":wanted");
        assertThat(line).contains("has no image tagged 'wanted'").contains("evil??[31mtag").doesNotContain("\u001b")
                .doesNotContain("\u009b");
    }

    // ---- OCI layouts that lie ----

    @Test
    void invalidJsonInIndex() throws IOException {
        Path p = write("badindex.tar", ImageArchives.oci(gzip(layer())).editIndex(s -> "{\"manifests\": [").bytes());
        assertThat(badInput("digests", p.toString())).contains("index.json of").contains("is not valid JSON");
    }

    @Test
    void ociManifestWithUnknownLayerMediaType() throws IOException {
        Path p = write("artifact.tar", ImageArchives.oci(gzip(layer()))
                .mediaType(0, "application/vnd.cncf.helm.chart.content.v1.tar+gzip").bytes());
        assertThat(badInput("digests", p.toString())).contains("unknown media type")
                .contains("application/vnd.cncf.helm.chart.content.v1.tar+gzip").contains("artifact");
    }

    @Test
    void ociIndexWithoutManifests() throws IOException {
        Path p = write("noman.tar", ImageArchives.oci(gzip(layer())).editIndex(s -> "{\"schemaVersion\":2,\"manifests\":[]}")
                .bytes());
        assertThat(badInput("digests", p.toString())).contains("lists no manifests");
    }

    // ---- hostile layers ----

    @Test
    void layerEntryClimbingOutIsRefusedWhenTheLayerIsWalked() throws IOException {
        byte[] evil = tar().file("etc/ok", "ok").file("../escape", "pwned").bytes();
        Path p = write("evil-layer.tar", ImageArchives.dockerSave(evil).bytes());
        assertThat(badInput("image", p.toString())).contains("'../escape'").contains("climbs out of the image root")
                .contains("layer");
        Path gz = write("evil-layer-gz.tar", ImageArchives.oci(gzip(evil)).bytes());
        assertThat(badInput("image", gz.toString())).contains("climbs out");
        // digests only hashes layers (it never reads their entries), so it verifies them and extracts nothing
        Cli.Result r = Cli.run("digests", p.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void absoluteLayerEntryIsNormalisedAndFine() throws IOException {
        byte[] abs = tar().file("/etc/x", "absolute").dir("/usr").file("/usr/y", "y").bytes();
        Path p = write("abs-layer.tar", ImageArchives.dockerSave(abs).bytes());
        Cli.Result r = Cli.run("image", p.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().at("/image/layers/0/computed/entries").asInt()).isEqualTo(3);
        assertThat(r.json().at("/image/layers/0/verified").asBoolean()).isTrue();
    }

    @Test
    void decompressionBombStopsAtTheLayerLimitQuickly() throws IOException {
        byte[] bomb = TarBuilder.gzipBomb("zeros", 200L << 20);
        assertThat(bomb.length).isBetween(50_000, 500_000);
        String fakeDiff = "sha256:" + "0".repeat(64);
        Path save = write("bomb.tar", ImageArchives.dockerSave(bomb).config(ImageArchives.config(java.util.List.of(fakeDiff)))
                .bytes());
        for (String cmd : new String[] {"digests", "image"}) {
            assertThat(badInput(Duration.ofSeconds(10), cmd, "--max-layer-size", "64M", save.toString()))
                    .contains("expands to more than 67.1MB (--max-layer-size)").contains("decompression bomb")
                    .contains("layer ");
        }
        Path oci = write("bomb-oci.tar", ImageArchives.oci(bomb).config(ImageArchives.config(java.util.List.of(fakeDiff)))
                .bytes());
        assertThat(badInput(Duration.ofSeconds(10), "digests", "--max-layer-size", "64M", oci.toString()))
                .contains("decompression bomb");
    }

    @Test
    void gzipBombInsideTheOuterArchiveStopsToo() throws IOException {
        // a .tar.gz whose one entry is 300 MiB of zeros: scanned as a layer, so the layer limit applies
        Path p = write("outer-bomb.tar.gz", TarBuilder.gzipBomb("x", 300L << 20));
        assertThat(badInput(Duration.ofSeconds(10), "digests", "--max-layer-size", "64M", p.toString()))
                .contains("decompression bomb");
    }

    @Test
    void zerosAfterTheEndOfACompressedArchiveAreNotReadForever() throws IOException {
        // a valid docker save, gzipped, followed by 16 GiB of zeros in 256 more gzip members (16 MB on disk)
        byte[] save = ImageArchives.dockerSave(layer()).bytes();
        byte[] zeros = TarBuilder.gzip(new byte[64 << 20]);
        Path p = dir.resolve("trailing-bomb.tar.gz");
        try (java.io.OutputStream out = Files.newOutputStream(p)) {
            out.write(gzip(save));
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        }
        assertThat(badInput(Duration.ofSeconds(5), "digests", p.toString())).contains("of data after the end of its tar")
                .contains("decompression bomb");
        // a little padding after the end is normal
        Path padded = write("padded.tar.gz", gzip(TarBuilder.concat(save, new byte[1 << 20])));
        assertThat(Cli.run("digests", padded.toString()).exitCode()).isZero();
    }

    @Test
    void badMaxLayerSize() {
        assertThat(badInput("digests", "--max-layer-size", "lots", ALPINE.toString()))
                .contains("--max-layer-size").contains("'lots' is not a size");
    }

    @Test
    void oversizedJsonIsRefused() throws IOException {
        String huge = ImageArchives.config(java.util.List.of(TarBuilder.sha256(layer())))
                .replace("\"os\":\"linux\"", "\"os\":\"linux\",\"pad\":\"" + "x".repeat(17 << 20) + "\"");
        Path p = write("huge-config.tar", ImageArchives.dockerSave(layer()).config(huge).bytes());
        assertThat(badInput("digests", p.toString())).contains(".json is a 17.8MB JSON document")
                .contains("beyond the 16.8MB limit for manifests and configs");
    }

    // ---- rootfs ----

    @Test
    void rootfsWithASymlinkLoopInsideCompletes() throws IOException {
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=test\n");
        Files.createSymbolicLink(root.resolve("loop-a"), root.resolve("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), root.resolve("loop-a"));
        Files.createSymbolicLink(root.resolve("etc/self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Cli.run("image", "rootfs:" + root, "--format", "json"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // etc, etc/os-release, etc/self, loop-a, loop-b, up: links listed, never followed
        assertThat(r.json().at("/image/layers/0/computed/entries").asInt()).isEqualTo(6);
        assertThat(r.json().at("/findings/0/id").asText()).isEqualTo("INT-NOTHING-TO-VERIFY");
    }

    @Test
    void rootfsThatIsItselfASymlinkLoop() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertThat(badInput(Duration.ofSeconds(5), "image", "rootfs:" + a)).contains(a.toString())
                .contains("too many levels of symbolic links");
        assertThat(badInput(Duration.ofSeconds(5), "digests", a.toString())).contains("symbolic link");
    }

    @Test
    void relativeBrokenSymlinkIsReportedNotLookedUpAsAnImageName() throws IOException {
        Path scratch = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cli-test")), "links");
        Path link = Files.createSymbolicLink(scratch.resolve("save.tar"), Path.of("gone.tar"));
        try {
            String relative = Path.of("").toAbsolutePath().relativize(link.toAbsolutePath()).toString();
            // without a daemon or network this must not try either: it is a file problem
            assertThat(badInput(Duration.ofSeconds(5), "digests", "--offline", "--docker-host", "unix:///nonexistent.sock",
                    relative)).isEqualTo("dockaudit: error: " + relative
                    + " is a broken or looping symbolic link; point dockaudit at the real file");
        } finally {
            Files.delete(link);
            Files.delete(scratch);
        }
    }

    @Test
    void rootfsThatIsAFile() throws IOException {
        Path f = write("file", new byte[] {1});
        assertThat(badInput("image", "rootfs:" + f)).contains("is not a directory");
    }

    // ---- the command line itself ----

    @Test
    void pathThatDoesNotExist() {
        String missing = dir.resolve("no-such.tar").toString();
        assertThat(badInput("digests", missing)).isEqualTo("dockaudit: error: " + missing + " does not exist; check the path");
        assertThat(badInput("digests", "docker-archive:" + missing)).contains("does not exist");
        assertThat(badInput("digests", "oci:" + missing)).contains("does not exist");
        assertThat(badInput("digests", "rootfs:" + missing)).contains("cannot open").contains("not found");
    }

    @Test
    void platformGarbage() {
        assertThat(badInput("digests", "--platform", "garbage", ALPINE.toString()))
                .contains("--platform").contains("'garbage' is not a platform").contains("os/arch");
        assertThat(badInput("digests", "--platform", "linux/arm64/v8/extra", ALPINE.toString())).contains("--platform");
    }

    @Test
    void unknownFormat() {
        assertThat(badInput("digests", "--format", "xml", ALPINE.toString())).contains("--format").contains("xml")
                .contains("table, json");
    }

    @Test
    void unknownSeverity() {
        assertThat(badInput("digests", "--fail-on", "SEVERE", ALPINE.toString())).contains("'SEVERE' is not a severity");
    }

    @Test
    void unknownCommandAndNoCommand() {
        assertThat(badInput("frobnicate", ALPINE.toString())).contains("frobnicate").contains("--help");
        assertThat(badInput()).contains("no command given");
        assertThat(badInput("digests")).contains("REF");
    }

    @Test
    void directoryGivenAsArchive() {
        assertThat(badInput("digests", "docker-archive:" + dir)).contains("is a directory").contains("rootfs:");
    }

    // ---- output, config (more in ConfigFileTest) ----

    @Test
    void unknownFormatListsTheValidOnes() {
        assertThat(badInput("image", "--format", "yaml", ALPINE.toString())).contains("unknown format 'yaml'")
                .contains("table, json, sarif");
        assertThat(badInput("sbom", "--format", "table", ALPINE.toString()))
                .contains("--format table is not available for sbom; use cyclonedx or spdx");
    }

    @Test
    void outputUnderAFileOrInAMissingFolderFailsBeforeTheAudit() throws IOException {
        // tests run as root, which permission bits do not stop: a parent that is a regular file stops everyone
        Path file = write("plain.txt", new byte[] {1});
        assertThat(badInput("image", ALPINE.toString(), "-o", file.resolve("report.txt").toString()))
                .isEqualTo("dockaudit: error: cannot write " + file.resolve("report.txt") + ": " + file
                        + " is a file, not a folder; choose another -o path");
        assertThat(badInput("image", ALPINE.toString(), "-o", file.resolve("sub/deeper/report.txt").toString()))
                .contains(file + " is a file, not a folder");
        assertThat(badInput("digests", ALPINE.toString(), "-o", dir.resolve("missing/report.txt").toString()))
                .endsWith("the folder does not exist");
        assertThat(badInput("container", "--docker-host", "unix:///nonexistent.sock", "-o", file.resolve("r.json").toString()))
                .contains("is a file, not a folder");
        assertThat(Files.readAllBytes(file)).containsExactly(1); // nothing was written over it
    }

    @Test
    void outputIntoAFolderNobodyMayWriteIsOneLine() {
        // sysfs refuses new files even to root, which is what these tests run as
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "no sysfs here");
        Path target = Path.of("/sys/dockaudit-report.html");
        assertThat(badInput("image", ALPINE.toString(), "--format", "html", "-o", target.toString()))
                .startsWith("dockaudit: error: cannot write " + target + ": the folder /sys is not writable")
                .endsWith("; choose another -o path");
        assertThat(Files.exists(target)).isFalse();
    }

    @Test
    void configFileProblemsAreOneLine() throws IOException {
        Path bad = write("bad.yaml", "fial-on: HIGH\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(badInput("image", ALPINE.toString(), "--config", bad.toString()))
                .isEqualTo("dockaudit: error: " + bad + " line 1: unknown key 'fial-on' (did you mean fail-on?)");
        assertThat(badInput("db", "status", "--config", dir.resolve("absent.yaml").toString())).contains("does not exist");
        assertThat(badInput("--config", dir.toString(), "version")).contains("is a directory");
    }
}
