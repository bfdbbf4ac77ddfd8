package dev.dockaudit.cli;

import dev.dockaudit.trust.TrustSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The signature options dockaudit trust and dockaudit image share. */
public final class TrustOptions {
    @Option(names = "--require-signature",
            description = "No verified signature (Docker Content Trust, cosign or Notation) is a failing finding.")
    boolean requireSignature;

    @Option(names = "--trust-server", paramLabel = "URL",
            description = "Notary server (default: $DOCKER_CONTENT_TRUST_SERVER, else https://notary.docker.io for Docker Hub,"
                    + " else https://REGISTRY). Its CA is read from $DOCKER_CONFIG/tls/HOST:PORT/ca.crt, as the docker CLI"
                    + " does, and from --ca-cert.")
    String trustServer;

    @Option(names = "--key", paramLabel = "FILE",
            description = "cosign public key (PEM: ECDSA, RSA or Ed25519) to verify cosign signatures with.")
    Path cosignKey;

    @Option(names = "--certificate-identity", paramLabel = "ID",
            description = "Keyless cosign: the signer identity the Fulcio certificate must carry (email or URI).")
    String certificateIdentity;

    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
            description = "Keyless cosign: the OIDC issuer the Fulcio certificate must name.")
    String certificateIssuer;

    @Option(names = "--trust-root", paramLabel = "FILE",
            description = "Keyless cosign: the Fulcio root (and intermediate) certificates, PEM, for offline verification.")
    Path fulcioRoot;

    @Option(names = "--rekor-key", paramLabel = "FILE",
            description = "Rekor's public key (PEM): checks the signed entry timestamp of cosign bundles.")
    Path rekorKey;

    @Option(names = "--notation-trust-store", paramLabel = "DIR",
            description = "Folder of CA certificates (or Notation's x509/ca/NAME layout) that Notation signatures must chain to.")
    Path notationTrustStore;

    @Option(names = "--ignore-docker-reference",
            description = "cosign: accept a payload naming another repository (a mirror of the signed image).")
    boolean ignoreDockerReference;

    TrustSettings settings(List<Path> caCerts) {
        return new TrustSettings(trustServer, requireSignature, cosignKey, certificateIdentity, certificateIssuer,
                fulcioRoot, rekorKey, notationTrustStore, ignoreDockerReference, caCerts);
    }

    /** Whether the user asked for anything signature-related. */
    boolean anyGiven() {
        return requireSignature || trustServer != null || cosignKey != null || fulcioRoot != null
                || certificateIdentity != null || notationTrustStore != null;
    }

    /** Checks the options that need no network before any registry is asked (a bad --trust-server fails at once). */
    void validate() {
        if (trustServer != null && !trustServer.isBlank()) {
            dev.dockaudit.trust.notary.NotaryAudit.serverUrl(trustServer, "--trust-server");
        }
    }
}
