package dev.dockaudit.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.TarBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real archives with one byte changed: digests must name what no longer matches, and exit 1. */
class TamperTest {
    private static final String ALPINE_CONFIG = "sha256:657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2";
    private static final String ALPINE_DIFF_ID = "sha256:84fd6d31b3c54ff78c30de5c4b5f0f316331bb3c0658f9085f89c2c7f5f52f41";
    private static final String OCI_LAYER = "sha256:a47c0a78fbab1f16b4175bde9aaf792cb122c59fedb368f41f738cf360158dcb";
    private static final String OCI_CONFIG = "sha256:32594c2db3f155a70ae4fae0b035d0737e416961023a4df1de591b2050650fbb";

    private static byte[] alpineTar;
    private static byte[] ociTar;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz")))) {
            alpineTar = in.readAllBytes();
        }
        ociTar = Files.readAllBytes(Cli.project("src/test/resources/realdata/images/alpine-3.18.9-oci-layout.tar"));
    }

    /** Where an entry's bytes start in a tar, and how many there are. */
    private record Span(long offset, long size) {
    }

    private static Span span(byte[] tar, String nameEndsWith) throws IOException {
        try (SeekableByteChannel ch = new SeekableInMemoryByteChannel(tar); TarFile tf = new TarFile(ch)) {
            for (TarArchiveEntry e : tf.getEntries()) {
                if (e.getName().endsWith(nameEndsWith) && e.isFile()) {
                    return new Span(e.getDataOffset(), e.getSize());
                }
            }
        }
        throw new AssertionError("no " + nameEndsWith + " in the tar");
    }

    private static byte[] slice(byte[] b, Span s) {
        return Arrays.copyOfRange(b, (int) s.offset(), (int) (s.offset() + s.size()));
    }

    private Cli.Result digests(String name, byte[] archive, String... more) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, archive);
        List<String> args = new ArrayList<>(List.of("digests", p.toString(), "--format", "json"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    private static List<JsonNode> findings(Cli.Result r, String id) {
        List<JsonNode> out = new ArrayList<>();
        r.json().get("findings").forEach(f -> {
            if (f.get("id").asText().equals(id)) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void untouchedArchivesVerify() throws IOException {
        Cli.Result a = digests("alpine.tar", alpineTar);
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(a.json().get("findings")).isEmpty();
        Cli.Result o = digests("oci.tar", ociTar);
        assertThat(o.exitCode()).as(o.toString()).isZero();
        assertThat(o.json().get("findings")).isEmpty();
    }

    @Test
    void flippedByteInsideAlpineLayerIsADiffIdMismatchOnLayer0() throws IOException {
        Span layer = span(alpineTar, "/layer.tar");
        byte[] original = slice(alpineTar, layer);
        Span busybox = span(original, "bin/busybox"); // change file content, not a tar header
        byte[] tampered = alpineTar.clone();
        int at = (int) (layer.offset() + busybox.offset() + 4096);
        tampered[at] ^= 0x01;
        String computed = TarBuilder.sha256(slice(tampered, layer));
        assertThat(computed).isNotEqualTo(ALPINE_DIFF_ID);
        assertThat(TarBuilder.sha256(original)).isEqualTo(ALPINE_DIFF_ID);

        for (byte[] archive : List.of(tampered, TarBuilder.gzip(tampered))) {
            Cli.Result r = digests("tampered.tar", archive);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            List<JsonNode> diff = findings(r, IntegrityDetector.DIFF_ID);
            assertThat(diff).hasSize(1);
            JsonNode f = diff.get(0);
            assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(f.get("category").asText()).isEqualTo("integrity");
            assertThat(f.get("title").asText()).isEqualTo("layer 0 does not match its diff_id");
            assertThat(f.get("evidence").asText()).isEqualTo("expected " + ALPINE_DIFF_ID + ", computed " + computed);
            assertThat(f.get("layer").asText()).isEqualTo(computed); // legacy docker save: the blob is the tar
            assertThat(r.json().at("/image/layers/0/verified").asBoolean()).isFalse();
            // the config was not touched
            assertThat(r.json().at("/image/id").asText()).isEqualTo(ALPINE_CONFIG);
            assertThat(findings(r, IntegrityDetector.CONFIG_DIGEST)).isEmpty();
        }
        // the same through the full audit, which also walks the layer
        Path p = dir.resolve("walked.tar");
        Files.write(p, tampered);
        Cli.Result image = Cli.run("image", p.toString(), "--fail-on", "CRITICAL", "--format", "json");
        assertThat(image.exitCode()).isEqualTo(1);
        assertThat(findings(image, IntegrityDetector.DIFF_ID)).hasSize(1);
        // the table says so too
        Cli.Result table = Cli.run("digests", p.toString());
        assertThat(table.exitCode()).isEqualTo(1);
        assertThat(table.out()).contains("CRITICAL INT-DIFF-ID  layer 0 does not match its diff_id")
                // the 120-column table cuts the digests; they follow in full under "Layer digests"
                .containsPattern("(?m)^0 +sha256:[0-9a-f]+… +sha256:[0-9a-f]+… +5.83MB +NO")
                .containsPattern("(?m)^  0  digest   sha256:[0-9a-f]{64}$")
                .contains("     diff_id  " + ALPINE_DIFF_ID);
    }

    @Test
    void flippedByteInOciLayerBlobIsALayerDigestMismatch() throws IOException {
        Span blob = span(ociTar, OCI_LAYER.substring(7));
        byte[] tampered = ociTar.clone();
        tampered[(int) (blob.offset() + blob.size() / 2)] ^= 0x40;
        String computed = TarBuilder.sha256(slice(tampered, blob));

        Cli.Result r = digests("oci-tampered.tar", tampered);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<JsonNode> digest = findings(r, IntegrityDetector.LAYER_DIGEST);
        assertThat(digest).hasSize(1);
        JsonNode f = digest.get(0);
        assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.get("title").asText()).isEqualTo("layer 0 does not match its digest");
        assertThat(f.get("evidence").asText()).isEqualTo("expected " + OCI_LAYER + ", computed " + computed);
        assertThat(f.get("layer").asText()).isEqualTo(OCI_LAYER);
        assertThat(r.json().at("/image/layers/0/computed/digest").asText()).isEqualTo(computed);
        assertThat(r.json().at("/image/layers/0/verified").asBoolean()).isFalse();
        // a size check is not piled on top of a digest mismatch
        assertThat(findings(r, IntegrityDetector.LAYER_SIZE)).isEmpty();
        assertThat(r.json().at("/image/verification/manifestDigest").asText()).isEqualTo("verified");
    }

    @Test
    void changedDockerArchiveConfigIsAConfigDigestMismatch() throws IOException {
        Span config = span(alpineTar, ALPINE_CONFIG.substring(7) + ".json");
        byte[] tampered = alpineTar.clone();
        String json = new String(slice(alpineTar, config), StandardCharsets.UTF_8);
        int at = json.indexOf("\"created\":\"2020-01-23T16:53:06");
        assertThat(at).isPositive();
        int digit = at + "\"created\":\"2020-01-23T16:53:0".length();
        tampered[(int) config.offset() + digit] = '7'; // 16:53:06 -> 16:53:07, still valid JSON
        String computed = TarBuilder.sha256(slice(tampered, config));

        Cli.Result r = digests("config.tar", tampered);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<JsonNode> cfg = findings(r, IntegrityDetector.CONFIG_DIGEST);
        assertThat(cfg).hasSize(1);
        assertThat(cfg.get(0).get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(cfg.get(0).get("evidence").asText()).isEqualTo("expected " + ALPINE_CONFIG + ", computed " + computed);
        assertThat(r.json().at("/image/id").asText()).isEqualTo(computed);
        assertThat(r.json().at("/image/verification/configDigest").asText()).isEqualTo("mismatch");
        assertThat(r.json().at("/image/created").asText()).isEqualTo("2020-01-23T16:53:07.686519038Z");
        // the layers still match the (tampered) config's diff_ids
        assertThat(findings(r, IntegrityDetector.DIFF_ID)).isEmpty();
    }

    @Test
    void changedOciConfigIsAConfigDigestMismatch() throws IOException {
        Span config = span(ociTar, OCI_CONFIG.substring(7));
        byte[] tampered = ociTar.clone();
        String json = new String(slice(ociTar, config), StandardCharsets.UTF_8);
        int at = json.indexOf("amd64");
        assertThat(at).isPositive();
        byte[] arm = "arm64".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(arm, 0, tampered, (int) config.offset() + at, arm.length);
        String computed = TarBuilder.sha256(slice(tampered, config));

        Cli.Result r = digests("oci-config.tar", tampered);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<JsonNode> cfg = findings(r, IntegrityDetector.CONFIG_DIGEST);
        assertThat(cfg).hasSize(1);
        assertThat(cfg.get(0).get("evidence").asText()).isEqualTo("expected " + OCI_CONFIG + ", computed " + computed);
        assertThat(r.json().at("/image/platform").asText()).isEqualTo("linux/arm64");
    }

    @Test
    void severityFilterDoesNotHideAFailedVerification() throws IOException {
        byte[] tampered = alpineTar.clone();
        Span layer = span(alpineTar, "/layer.tar");
        tampered[(int) (layer.offset() + layer.size() - 20_000)] ^= 0x01;
        Cli.Result r = digests("filtered.tar", tampered, "--severity", "LOW");
        assertThat(r.json().get("findings")).isEmpty();
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
