package dev.dockaudit.trust;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user gave for checking signatures: the notary server, cosign keys or a keyless trust root, a Notation
 * trust store, and whether a signature is required.
 */
public record TrustSettings(String trustServer, boolean requireSignature, Path cosignKey, String certificateIdentity,
                            String certificateIssuer, Path fulcioRoot, Path rekorKey, Path notationTrustStore,
                            boolean ignoreDockerReference, List<Path> caCerts) {
}
