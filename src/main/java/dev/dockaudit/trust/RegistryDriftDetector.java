package dev.dockaudit.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Descriptor;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.MediaTypes;
import dev.dockaudit.image.Platform;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --remote}: does the registry still serve, for each of the image's tags, the image we hold?
 * Compares image IDs (config digests), which identify content whatever the manifest's compression, so it
 * works for daemon images, archives and layouts alike; repo digests are shown as evidence.
 */
public final class RegistryDriftDetector {
    public static final String DRIFT = "INT-REGISTRY-DRIFT";
    public static final String IN_SYNC = "INT-REGISTRY-IN-SYNC";

    private final RegistryClient client;

    public RegistryDriftDetector(RegistryClient client) {
        this.client = client;
    }

    public List<Finding> detect(Image image, List<String> notes) {
        List<Finding> out = new ArrayList<>();
        if (image.configDigest() == null) {
            notes.add("--remote: this source has no image ID to compare with a registry");
            return out;
        }
        int compared = 0;
        for (String tag : image.repoTags()) {
            DockerName name;
            try {
                name = DockerName.parse(tag);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (name.tag() == null) {
                continue;
            }
            RegistryClient.Manifest top;
            Digest remoteId;
            try {
                top = client.getManifest(name, name.tag());
                remoteId = remoteImageId(name, top, image.platform());
            } catch (dev.dockaudit.util.UserError e) {
                // One tag's registry failing must not sink the whole report: a daemon image usually also carries
                // local-only tags (app:dev means docker.io/library/app) beside the pushed one that --remote is about.
                notes.add("--remote: could not compare " + tag + " with its registry: " + e.getMessage());
                continue;
            }
            compared++;
            if (remoteId != null && remoteId.equals(image.configDigest())) {
                out.add(Finding.builder(IN_SYNC, Category.INTEGRITY, Severity.INFO,
                                tag + " is what the registry serves now")
                        .evidence("registry " + top.digest() + ", image ID " + remoteId).build());
                continue;
            }
            out.add(Finding.builder(DRIFT, Category.INTEGRITY, Severity.MEDIUM,
                            "the registry now serves different content for " + tag)
                    .description("The image audited here has ID " + image.configDigest() + "; " + name.registry()
                            + " serves " + (remoteId == null ? "no image for this platform" : "image ID " + remoteId)
                            + " for the tag (manifest " + top.digest() + "). Either the tag moved (a rebuild, or"
                            + " someone re-pushed it) or the local copy is stale.")
                    .evidence("local " + image.configDigest() + (image.repoDigests().isEmpty() ? ""
                            : " (" + String.join(", ", image.repoDigests()) + ")") + "; registry " + top.digest())
                    .remediation("Pull " + tag + " again if the new content is intended, and pin deployments by digest")
                    .build());
        }
        if (compared == 0 && notes.isEmpty()) {
            notes.add("--remote: the image has no registry tag to compare (repo tags: "
                    + (image.repoTags().isEmpty() ? "none" : String.join(", ", image.repoTags())) + ")");
        }
        return out;
    }

    private Digest remoteImageId(DockerName name, RegistryClient.Manifest top, Platform platform) {
        RegistryClient.Manifest m = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            Platform want = platform != null ? platform : Platform.host();
            Digest chosen = null;
            for (JsonNode n : top.json("the image index of " + name.familiar()).path("manifests")) {
                Descriptor d = Descriptor.fromJson(n, "index entry");
                if (want.accepts(d.platform())) {
                    chosen = d.digest();
                    break;
                }
            }
            if (chosen == null) {
                return null;
            }
            m = client.getManifest(name, chosen.toString());
        }
        JsonNode json = m.json("the manifest of " + name.familiar());
        return Digest.parseOrNull(Json.text(json.path("config"), "digest"));
    }
}
