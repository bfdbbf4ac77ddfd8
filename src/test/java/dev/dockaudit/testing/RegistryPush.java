package dev.dockaudit.testing;

import dev.dockaudit.util.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Pushes blobs and manifests straight to a real registry over plain HTTP with the distribution API
 * (POST /v2/REPO/blobs/uploads/, PUT ?digest=, PUT /v2/REPO/manifests/REF): how tests put images there that
 * docker cannot build (OCI indexes with genuine arm64 configs, zstd and uncompressed layers).
 */
public final class RegistryPush {
    private final String registry;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private RegistryPush(String registry, String authorization) {
        this.registry = registry;
        this.authorization = authorization;
    }

    /** A registry that takes anonymous pushes (the plain one). */
    public static RegistryPush anonymous(String registry) {
        return new RegistryPush(registry, null);
    }

    /** A registry with htpasswd basic auth. */
    public static RegistryPush basic(String registry, String user, String password) {
        return new RegistryPush(registry, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** A pushed single-platform image. */
    public record Pushed(Oci.Blob manifest, Oci.Blob config, List<Oci.LayerBlob> layers) {
        public Digest manifestDigest() {
            return manifest.digest();
        }

        public Digest imageId() {
            return config.digest();
        }
    }

    /** Pushes the config, the layers and the manifest, and tags it {@code tag} (null: by digest only). */
    public Pushed image(String repo, String tag, Oci.Blob manifest, Oci.Blob config, List<Oci.LayerBlob> layers)
            throws IOException, InterruptedException {
        blob(repo, config);
        for (Oci.LayerBlob l : layers) {
            blob(repo, l.blob());
        }
        manifest(repo, tag != null ? tag : manifest.digest().toString(), manifest);
        return new Pushed(manifest, config, new ArrayList<>(layers));
    }

    /** Uploads a blob (monolithic: POST then PUT with the digest) unless the registry has it already. */
    public Digest blob(String repo, Oci.Blob blob) throws IOException, InterruptedException {
        Digest d = blob.digest();
        HttpResponse<Void> head = http.send(request("/v2/" + repo + "/blobs/" + d).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 200) {
            return d;
        }
        HttpResponse<String> start = http.send(request("/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) {
            throw new AssertionError("POST blobs/uploads/ to " + registry + "/" + repo + " answered " + start.statusCode()
                    + ": " + start.body());
        }
        String location = start.headers().firstValue("location").orElseThrow(
                () -> new AssertionError("no Location in the upload reply of " + registry));
        URI upload = base().resolve(location);
        String sep = upload.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = http.send(request(URI.create(upload + sep + "digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new AssertionError("PUT blob " + d + " to " + registry + "/" + repo + " answered " + put.statusCode()
                    + ": " + put.body());
        }
        return d;
    }

    /** PUTs a manifest or index under {@code reference} (a tag or its digest) and checks the digest the registry computed. */
    public Digest manifest(String repo, String reference, Oci.Blob manifest) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request("/v2/" + repo + "/manifests/" + reference)
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("PUT manifest " + repo + ":" + reference + " to " + registry + " answered "
                    + r.statusCode() + ": " + r.body());
        }
        Digest served = Digest.parse(r.headers().firstValue("docker-content-digest").orElseThrow());
        if (!served.equals(manifest.digest())) {
            throw new AssertionError("the registry computed " + served + " for a manifest whose sha256 is " + manifest.digest());
        }
        return served;
    }

    /** GETs a manifest's raw bytes as the registry stores them (for tampering proxies). */
    public byte[] rawManifest(String repo, String reference, String accept) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request("/v2/" + repo + "/manifests/" + reference).header("Accept", accept)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET manifest " + repo + ":" + reference + " answered " + r.statusCode());
        }
        return r.body();
    }

    private URI base() {
        return URI.create("http://" + registry + "/");
    }

    private HttpRequest.Builder request(String path) {
        return request(base().resolve(path.substring(1)));
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }
}
