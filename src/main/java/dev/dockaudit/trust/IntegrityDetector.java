package dev.dockaudit.trust;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageConfigs;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares every digest an image declares with the digest of the bytes we actually read: the config
 * against the image ID, the manifest against its reference or index, each blob against its manifest
 * digest and size, each uncompressed layer against {@code rootfs.diff_ids}. Any mismatch means the image
 * is not what it claims to be.
 */
public final class IntegrityDetector {
    public static final String CONFIG_DIGEST = "INT-CONFIG-DIGEST";
    public static final String MANIFEST_DIGEST = "INT-MANIFEST-DIGEST";
    public static final String LAYER_DIGEST = "INT-LAYER-DIGEST";
    public static final String LAYER_SIZE = "INT-LAYER-SIZE";
    public static final String DIFF_ID = "INT-DIFF-ID";
    public static final String LAYER_UNREADABLE = "INT-LAYER-UNREADABLE";
    public static final String LAYER_COUNT = "INT-LAYER-COUNT";
    public static final String MEDIA_TYPE = "INT-MEDIA-TYPE";
    public static final String TAG_NOT_PINNED = "INT-TAG-NOT-PINNED";
    public static final String NOTHING_TO_VERIFY = "INT-NOTHING-TO-VERIFY";

    private static final String REPULL = "Do not run this image. Pull or export it again from a source you trust and"
            + " compare digests; if it happens again, the source (registry, mirror, archive) has been tampered with";

    public List<Finding> detect(Image image) {
        List<Finding> out = new ArrayList<>();
        if (image.expectedManifestDigest() != null && image.manifestDigest() != null
                && !image.expectedManifestDigest().equals(image.manifestDigest())) {
            out.add(Finding.builder(MANIFEST_DIGEST, Category.INTEGRITY, Severity.CRITICAL,
                            "manifest does not match its digest")
                    .description("The manifest's bytes hash to " + image.manifestDigest() + ", but "
                            + image.expectedManifestSource() + " names " + image.expectedManifestDigest() + ".")
                    .evidence("expected " + image.expectedManifestDigest() + ", computed " + image.manifestDigest())
                    .remediation(REPULL).build());
        }
        if (image.expectedConfigDigest() != null && image.configDigest() != null
                && !image.expectedConfigDigest().equals(image.configDigest())) {
            out.add(Finding.builder(CONFIG_DIGEST, Category.INTEGRITY, Severity.CRITICAL,
                            "image config does not match the image ID")
                    .description("The config's bytes hash to " + image.configDigest() + ", but the image is declared as "
                            + image.expectedConfigDigest() + ". The config names the layers' diff_ids, the user, the"
                            + " entrypoint and the environment, so none of them can be trusted.")
                    .evidence("expected " + image.expectedConfigDigest() + ", computed " + image.configDigest())
                    .remediation(REPULL).build());
        }
        if (image.config() != null) {
            int declared = ImageConfigs.diffIds(image.config(), "image config").size();
            if (declared != image.layers().size()) {
                out.add(Finding.builder(LAYER_COUNT, Category.INTEGRITY, Severity.CRITICAL,
                                "config and manifest disagree on the number of layers")
                        .description("The config lists " + declared + " diff_ids but the image has " + image.layers().size()
                                + " layers; docker refuses to load such an image.")
                        .evidence(declared + " diff_ids, " + image.layers().size() + " layers")
                        .remediation(REPULL).build());
            }
        }
        for (Layer l : image.layers()) {
            layer(l, out);
        }
        if (image.reference().transport() == ImageReference.Transport.ROOTFS
                || image.source().equals("rootfs")) {
            out.add(Finding.builder(NOTHING_TO_VERIFY, Category.INTEGRITY, Severity.INFO,
                            "a root filesystem directory has no digests to verify")
                    .description("Only images (archives, layouts, daemons, registries) declare digests; a directory's"
                            + " contents cannot be checked against anything.")
                    .remediation("Audit the image the directory came from to verify it").build());
        }
        return out;
    }

    private static void layer(Layer l, List<Finding> out) {
        LayerScan s = l.scan();
        if (s == null || s.rawDigest() == null) {
            return;
        }
        String name = "layer " + l.index();
        String layerId = String.valueOf(l.blobDigest());
        boolean digestMismatch = l.digest() != null && !l.digest().equals(s.rawDigest());
        if (digestMismatch) {
            out.add(Finding.builder(LAYER_DIGEST, Category.INTEGRITY, Severity.CRITICAL,
                            name + " does not match its digest")
                    .description("The blob of " + name + " (" + l.location() + ") hashes to " + s.rawDigest()
                            + " but the manifest declares " + l.digest() + "."
                            + (s.error() != null ? " It is also unreadable: " + s.error() + "." : ""))
                    .layer(layerId).evidence("expected " + l.digest() + ", computed " + s.rawDigest())
                    .remediation(REPULL).build());
        }
        if (!digestMismatch && l.declaredSize() >= 0 && l.declaredSize() != s.rawSize()) {
            out.add(Finding.builder(LAYER_SIZE, Category.INTEGRITY, Severity.HIGH,
                            name + " has a different size than its manifest declares")
                    .description("The manifest declares " + l.declaredSize() + " bytes, the blob has " + s.rawSize() + ".")
                    .layer(layerId).evidence("declared " + l.declaredSize() + ", read " + s.rawSize())
                    .remediation(REPULL).build());
        }
        if (l.diffId() != null && s.diffId() != null && !l.diffId().equals(s.diffId())) {
            out.add(Finding.builder(DIFF_ID, Category.INTEGRITY, Severity.CRITICAL,
                            name + " does not match its diff_id")
                    .description("The uncompressed tar of " + name + " (" + l.location() + ") hashes to " + s.diffId()
                            + " but the config's rootfs.diff_ids declares " + l.diffId() + ".")
                    .layer(layerId).evidence("expected " + l.diffId() + ", computed " + s.diffId())
                    .remediation(REPULL).build());
        }
        if (s.error() != null && !digestMismatch) {
            boolean diffUnchecked = l.diffId() != null && s.diffId() == null;
            out.add(Finding.builder(LAYER_UNREADABLE, Category.INTEGRITY,
                            diffUnchecked ? Severity.CRITICAL : Severity.HIGH,
                            name + " is not a readable layer")
                    .description("The blob of " + name + " (" + l.location() + ") is " + s.error()
                            + (diffUnchecked ? "; its diff_id " + l.diffId() + " cannot be verified." : "."))
                    .layer(layerId).evidence(s.error()).remediation(REPULL).build());
        }
        if (!s.compression().agreesWith(l.mediaType())) {
            out.add(Finding.builder(MEDIA_TYPE, Category.INTEGRITY, Severity.MEDIUM,
                            name + " is " + s.compression().name().toLowerCase() + " but declared as " + l.mediaType())
                    .description("The layer's bytes do not match the compression its media type declares; some"
                            + " runtimes will fail to unpack it.")
                    .layer(layerId).evidence("media type " + l.mediaType() + ", bytes " + s.compression().name().toLowerCase())
                    .remediation("Rebuild or re-push the image with a tool that writes consistent media types").build());
        }
    }

    /** A finding for references that name a tag, which can be moved to other content at any time. */
    public static Finding tagNotPinned(String reference, String repoDigest) {
        return Finding.builder(TAG_NOT_PINNED, Category.INTEGRITY, Severity.LOW, "image is referenced by tag, not by digest")
                .description("'" + reference + "' names a tag; whoever controls the registry can point it at other"
                        + " content, so the same reference may run different code tomorrow.")
                .evidence(reference)
                .remediation(repoDigest != null ? "Pin the digest: use " + repoDigest
                        : "Pin the image by digest (NAME@sha256:…); push it to a registry to get one")
                .build();
    }
}
