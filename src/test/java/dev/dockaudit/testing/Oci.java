package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds real OCI / Docker schema 2 image parts in memory (layer tars, gzip and zstd blobs, configs,
 * manifests, indexes), with their digests computed independently of dockaudit's code, for tests that push
 * them to a real registry with {@link RegistryPush}.
 */
public final class Oci {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

    private Oci() {
    }

    /** A blob and its descriptor fields. */
    public record Blob(String mediaType, byte[] bytes) {
        public Digest digest() {
            return Digest.sha256(bytes);
        }

        public long size() {
            return bytes.length;
        }

        public Blob withMediaType(String type) {
            return new Blob(type, bytes);
        }
    }

    /** A layer: the blob as stored and the digest of its uncompressed tar (the diff_id). */
    public record LayerBlob(Blob blob, Digest diffId) {
        public static LayerBlob gzip(byte[] tar, String mediaType) {
            return new LayerBlob(new Blob(mediaType, Oci.gzip(tar)), Digest.sha256(tar));
        }

        public static LayerBlob zstd(byte[] tar, String mediaType) {
            return new LayerBlob(new Blob(mediaType, Oci.zstd(tar)), Digest.sha256(tar));
        }

        public static LayerBlob plain(byte[] tar, String mediaType) {
            return new LayerBlob(new Blob(mediaType, tar), Digest.sha256(tar));
        }

        /** An already gzip-compressed tar, e.g. the Alpine minirootfs, kept byte for byte. */
        public static LayerBlob ofGzipFile(byte[] gz, String mediaType) {
            return new LayerBlob(new Blob(mediaType, gz), Digest.sha256(gunzip(gz)));
        }
    }

    /** A tar with the given regular files (path → content) and whiteouts (paths of deleted files), in order. */
    public static byte[] tar(Map<String, byte[]> files, List<String> whiteouts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<String> dirs = new ArrayList<>();
            for (String path : files.keySet()) {
                addParents(path, dirs);
            }
            for (String path : whiteouts) {
                addParents(path, dirs);
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d + "/");
                e.setMode(040755);
                e.setModTime(1_700_000_000_000L);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setMode(0100644);
                e.setSize(f.getValue().length);
                e.setModTime(1_700_000_000_000L);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            for (String w : whiteouts) {
                int slash = w.lastIndexOf('/');
                String name = (slash >= 0 ? w.substring(0, slash + 1) : "") + ".wh." + w.substring(slash + 1);
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setMode(0100644);
                e.setSize(0);
                e.setModTime(1_700_000_000_000L);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void addParents(String path, List<String> dirs) {
        String[] parts = path.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            p.append(i == 0 ? "" : "/").append(parts[i]);
            if (!dirs.contains(p.toString())) {
                dirs.add(p.toString());
            }
        }
    }

    public static Map<String, byte[]> files(String... pathsAndContents) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            m.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return m;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] zstd(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An image config for {@code os/arch[/variant]} with one history entry per layer (createdBy = {@code history[i]}). */
    public static Blob config(String mediaType, String os, String arch, String variant, List<LayerBlob> layers,
                              List<String> history, Map<String, String> labels) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("architecture", arch);
        c.put("os", os);
        if (variant != null) {
            c.put("variant", variant);
        }
        c.put("created", "2024-01-02T03:04:05Z");
        ObjectNode cfg = c.putObject("config");
        cfg.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        cfg.putArray("Cmd").add("/bin/sh");
        if (!labels.isEmpty()) {
            ObjectNode l = cfg.putObject("Labels");
            labels.forEach(l::put);
        }
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        for (LayerBlob l : layers) {
            ids.add(l.diffId().toString());
        }
        ArrayNode h = c.putArray("history");
        for (String createdBy : history) {
            h.addObject().put("created", "2024-01-02T03:04:05Z").put("created_by", createdBy);
        }
        return new Blob(mediaType, bytes(c));
    }

    /** An image manifest ({@link #OCI_MANIFEST} or {@link #DOCKER_MANIFEST}) for a config and its layers. */
    public static Blob manifest(String mediaType, Blob config, List<LayerBlob> layers) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        m.set("config", descriptor(config));
        ArrayNode ls = m.putArray("layers");
        for (LayerBlob l : layers) {
            ls.add(descriptor(l.blob()));
        }
        return new Blob(mediaType, bytes(m));
    }

    /** One entry of an index: a manifest and the platform it is for. */
    public record IndexEntry(Blob manifest, String os, String arch, String variant) {
    }

    public static Blob index(String mediaType, List<IndexEntry> entries) {
        ObjectNode i = Json.MAPPER.createObjectNode();
        i.put("schemaVersion", 2);
        i.put("mediaType", mediaType);
        ArrayNode ms = i.putArray("manifests");
        for (IndexEntry e : entries) {
            ObjectNode d = descriptor(e.manifest());
            ObjectNode p = d.putObject("platform");
            p.put("architecture", e.arch());
            p.put("os", e.os());
            if (e.variant() != null) {
                p.put("variant", e.variant());
            }
            ms.add(d);
        }
        return new Blob(mediaType, bytes(i));
    }

    public static ObjectNode descriptor(Blob b) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("mediaType", b.mediaType());
        d.put("digest", b.digest().toString());
        d.put("size", b.size());
        return d;
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
