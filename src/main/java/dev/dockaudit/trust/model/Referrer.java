package dev.dockaudit.trust.model;

import java.util.Map;

/**
 * An artifact attached to the image through the OCI referrers API (or its tag-schema fallback).
 *
 * @param kind     what it is, for people: "Notation signature", "cosign signature", "SBOM (CycloneDX)",
 *                 "SBOM (SPDX)", "provenance (SLSA)", "in-toto attestation", "vulnerability report", "artifact"
 * @param signer   Notation signatures: the signing certificate's subject
 * @param verified Notation signatures verified against a trust store: true or false; null when not checked
 * @param problem  why it failed verification, or what is wrong with the referrer (null when nothing is)
 */
public record Referrer(String digest, String artifactType, String mediaType, Map<String, String> annotations,
                       String kind, String signer, Boolean verified, String problem) {
}
