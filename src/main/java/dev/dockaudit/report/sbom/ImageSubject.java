package dev.dockaudit.report.sbom;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.inventory.Purls;
import dev.dockaudit.util.Digest;
import java.util.TreeMap;

/**
 * What both SBOM formats say about the image itself.
 *
 * @param name    the first repo tag ({@code alpine:3.10}), else the reference the user gave
 * @param version the image ID (config digest), else the manifest digest; null when the image has neither (rootfs)
 * @param purl    {@code pkg:oci/NAME@DIGEST?arch=…&repository_url=…&tag=…} (purl-spec "oci" type) from the first
 *                repo digest; null when the image has no repo digest, since only a registry digest names it
 */
record ImageSubject(String name, String version, String purl) {

    static ImageSubject of(Image image) {
        String name = image.repoTags().isEmpty() ? image.reference().original() : image.repoTags().get(0);
        Digest v = image.configDigest() != null ? image.configDigest() : image.manifestDigest();
        return new ImageSubject(name, v == null ? null : v.toString(), ociPurl(image));
    }

    /** The purl-spec oci purl of the first repo digest that parses; null without one. */
    static String ociPurl(Image image) {
        for (String rd : image.repoDigests()) {
            int at = rd.indexOf('@');
            if (at <= 0) {
                continue;
            }
            DockerName repo;
            Digest digest;
            try {
                repo = DockerName.parse(rd.substring(0, at));
                digest = Digest.parse(rd.substring(at + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            String repository = repo.repository();
            String last = repository.substring(repository.lastIndexOf('/') + 1);
            TreeMap<String, String> q = new TreeMap<>();
            q.put("repository_url", repo.registry() + "/" + repository);
            if (image.platform() != null && image.platform().architecture() != null) {
                q.put("arch", image.platform().architecture());
            }
            String tag = tagOf(image, repo);
            if (tag != null) {
                q.put("tag", tag);
            }
            String purl = Purls.of("oci", null, last, digest.toString(), q, null);
            if (purl != null) {
                return purl;
            }
        }
        return null;
    }

    /** A tag the image carries in the same repository as its repo digest. */
    private static String tagOf(Image image, DockerName repo) {
        for (String t : image.repoTags()) {
            try {
                DockerName n = DockerName.parse(t);
                if (n.registry().equals(repo.registry()) && n.repository().equals(repo.repository()) && n.tag() != null) {
                    return n.tag();
                }
            } catch (IllegalArgumentException e) {
                // a tag we cannot parse names no repository; skip it
            }
        }
        return null;
    }
}
