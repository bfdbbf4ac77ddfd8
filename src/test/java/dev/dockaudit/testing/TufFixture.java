package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.trust.notary.CanonicalJson;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A Docker Content Trust repository made in the test, in Notary's format: root keys are ecdsa-x509 certificates
 * whose CN is the GUN, targets and delegations are signed with ecdsa (raw r||s), snapshot and timestamp with ed25519,
 * as notary-server's local signer does. Every field can be changed before {@link #build()}: expiry, versions,
 * thresholds, keys, delegations with paths; {@link #edit} changes a role's signed content before it is signed (so the
 * signatures and pins stay valid), {@link #tamper} changes the bytes after everything is signed.
 */
public final class TufFixture {
    public final String gun;
    public Instant now = Instant.now();

    public List<KeyPair> rootKeys = new ArrayList<>(List.of(TestCerts.ec()));
    public int rootThreshold = 1;
    public String rootCn;
    public Instant rootCertNotBefore;
    public Instant rootCertNotAfter;
    public KeyPair targetsKey = TestCerts.ec();
    public int targetsThreshold = 1;
    public KeyPair snapshotKey = TestCerts.ed25519();
    public KeyPair timestampKey = TestCerts.ed25519();
    /** The signature method for RSA keys: rsapss or rsapkcs1v15. */
    public String rsaMethod = "rsapss";

    /** Signed tags by role: role → tag → manifest bytes' digest and length. */
    public final Map<String, Map<String, Target>> targets = new LinkedHashMap<>();
    /** Delegations each role declares, in order. */
    public final Map<String, List<Delegation>> delegations = new LinkedHashMap<>();
    public final Map<String, Instant> expires = new LinkedHashMap<>();
    public final Map<String, Integer> versions = new LinkedHashMap<>();
    /** Keys that sign a role instead of its own (a wrong key, or none). */
    public final Map<String, List<KeyPair>> signers = new LinkedHashMap<>();
    private final Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<byte[]>> tampers = new LinkedHashMap<>();

    /** A target: hex SHA-256 of the manifest, and its length. */
    public record Target(String sha256, long length) {
    }

    /** A delegation: its keys, threshold and paths. */
    public record Delegation(String name, List<KeyPair> keys, int threshold, List<String> paths) {
    }

    public TufFixture(String gun) {
        this.gun = gun;
        this.rootCn = gun;
    }

    public TufFixture sign(String role, String tag, String sha256Hex, long length) {
        targets.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(tag, new Target(sha256Hex.replaceFirst("^sha256:", ""), length));
        return this;
    }

    public TufFixture delegate(String parent, String name, int threshold, List<String> paths, KeyPair... keys) {
        delegations.computeIfAbsent(parent, r -> new ArrayList<>()).add(new Delegation(name, List.of(keys), threshold, paths));
        return this;
    }

    /** Changes a role's signed object before it is signed and pinned. */
    public TufFixture edit(String role, Consumer<ObjectNode> edit) {
        edits.merge(role, edit, Consumer::andThen);
        return this;
    }

    /** Changes a role's bytes after all signing and pinning. */
    public TufFixture tamper(String role, UnaryOperator<byte[]> t) {
        tampers.merge(role, t, (a, b) -> x -> b.apply(a.apply(x)));
        return this;
    }

    public static String keyType(KeyPair k) {
        return switch (k.getPublic().getAlgorithm()) {
            case "EC" -> "ecdsa";
            case "Ed25519", "EdDSA" -> "ed25519";
            case "RSA" -> "rsa";
            default -> throw new IllegalArgumentException(k.getPublic().getAlgorithm());
        };
    }

    public static byte[] publicBytes(KeyPair k) {
        byte[] spki = k.getPublic().getEncoded();
        return keyType(k).equals("ed25519") ? Arrays.copyOfRange(spki, spki.length - 32, spki.length) : spki;
    }

    public static ObjectNode keyJson(String type, byte[] pub) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        key.put("keytype", type);
        ObjectNode val = key.putObject("keyval");
        val.putNull("private");
        val.put("public", Base64.getEncoder().encodeToString(pub));
        return key;
    }

    public static String keyId(String type, byte[] pub) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(keyJson(type, pub))));
        } catch (GeneralSecurityException | CanonicalJson.NotCanonical e) {
            throw new IllegalStateException(e);
        }
    }

    public static String keyId(KeyPair k) {
        return keyId(keyType(k), publicBytes(k));
    }

    /** The root certificates, one per root key, made when first asked. */
    private final Map<KeyPair, X509Certificate> certs = new LinkedHashMap<>();

    public X509Certificate rootCert(KeyPair k) {
        return certs.computeIfAbsent(k, key -> TestCerts.selfSigned(key, rootCn,
                rootCertNotBefore != null ? rootCertNotBefore : now.minus(Duration.ofDays(1)),
                rootCertNotAfter != null ? rootCertNotAfter : now.plus(Duration.ofDays(3650)), false, null));
    }

    public String rootKeyId(KeyPair k) {
        return keyId(k.getPublic().getAlgorithm().equals("RSA") ? "rsa-x509" : "ecdsa-x509",
                TestCerts.pem(rootCert(k)).getBytes(StandardCharsets.US_ASCII));
    }

    /** Every role's file as the notary server would serve it. */
    public Map<String, byte[]> build() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        // root
        ObjectNode root = common("Root", "root", Duration.ofDays(3650));
        root.put("consistent_snapshot", false);
        ObjectNode keys = root.putObject("keys");
        ObjectNode roles = root.putObject("roles");
        ArrayNode rootIds = roles.putObject("root").putArray("keyids");
        for (KeyPair k : rootKeys) {
            byte[] pem = TestCerts.pem(rootCert(k)).getBytes(StandardCharsets.US_ASCII);
            String type = k.getPublic().getAlgorithm().equals("RSA") ? "rsa-x509" : "ecdsa-x509";
            keys.set(keyId(type, pem), keyJson(type, pem));
            rootIds.add(keyId(type, pem));
        }
        ((ObjectNode) roles.get("root")).put("threshold", rootThreshold);
        for (Object[] r : new Object[][] {{"targets", targetsKey, targetsThreshold}, {"snapshot", snapshotKey, 1},
                {"timestamp", timestampKey, 1}}) {
            KeyPair k = (KeyPair) r[1];
            keys.set(keyId(k), keyJson(keyType(k), publicBytes(k)));
            ObjectNode role = roles.putObject((String) r[0]);
            role.putArray("keyids").add(keyId(k));
            role.put("threshold", (Integer) r[2]);
        }
        files.put("root", signed("root", root, rootKeys));

        // targets and delegations, breadth first
        List<String> queue = new ArrayList<>(List.of("targets"));
        Map<String, List<KeyPair>> roleKeys = new LinkedHashMap<>();
        roleKeys.put("targets", List.of(targetsKey));
        for (int i = 0; i < queue.size(); i++) {
            String role = queue.get(i);
            ObjectNode t = common("Targets", role, Duration.ofDays(1095));
            ObjectNode dels = t.putObject("delegations");
            ObjectNode dkeys = dels.putObject("keys");
            ArrayNode droles = dels.putArray("roles");
            for (Delegation d : delegations.getOrDefault(role, List.of())) {
                ObjectNode dn = droles.addObject();
                ArrayNode ids = dn.putArray("keyids");
                for (KeyPair k : d.keys()) {
                    dkeys.set(keyId(k), keyJson(keyType(k), publicBytes(k)));
                    ids.add(keyId(k));
                }
                dn.put("name", d.name());
                ArrayNode paths = dn.putArray("paths");
                d.paths().forEach(paths::add);
                dn.put("threshold", d.threshold());
                if (!queue.contains(d.name())) {
                    queue.add(d.name());
                    roleKeys.put(d.name(), d.keys());
                }
            }
            ObjectNode ts = t.putObject("targets");
            for (Map.Entry<String, Target> e : targets.getOrDefault(role, Map.of()).entrySet()) {
                ObjectNode m = ts.putObject(e.getKey());
                m.putObject("hashes").put("sha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(e.getValue().sha256())));
                m.put("length", e.getValue().length());
            }
            files.put(role, signed(role, t, roleKeys.get(role)));
        }

        // snapshot pins root, targets and every delegation; timestamp pins snapshot
        ObjectNode snapshot = common("Snapshot", "snapshot", Duration.ofDays(1095));
        ObjectNode meta = snapshot.putObject("meta");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            meta.set(f.getKey(), pin(f.getValue()));
        }
        files.put("snapshot", signed("snapshot", snapshot, List.of(snapshotKey)));
        ObjectNode timestamp = common("Timestamp", "timestamp", Duration.ofDays(14));
        timestamp.putObject("meta").set("snapshot", pin(files.get("snapshot")));
        files.put("timestamp", signed("timestamp", timestamp, List.of(timestampKey)));

        for (Map.Entry<String, UnaryOperator<byte[]>> t : tampers.entrySet()) {
            files.put(t.getKey(), t.getValue().apply(files.get(t.getKey())));
        }
        return files;
    }

    private ObjectNode common(String type, String role, Duration life) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("_type", type);
        n.put("expires", expires.getOrDefault(role, now.plus(life)).toString());
        n.put("version", versions.getOrDefault(role, 1));
        return n;
    }

    private static ObjectNode pin(byte[] raw) {
        try {
            ObjectNode m = Json.MAPPER.createObjectNode();
            ObjectNode h = m.putObject("hashes");
            h.put("sha256", Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(raw)));
            h.put("sha512", Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(raw)));
            m.put("length", raw.length);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] signed(String role, ObjectNode content, List<KeyPair> keys) {
        if (edits.containsKey(role)) {
            edits.get(role).accept(content);
        }
        List<KeyPair> by = signers.getOrDefault(role, keys);
        try {
            byte[] msg = CanonicalJson.encode(content);
            ObjectNode doc = Json.MAPPER.createObjectNode();
            doc.set("signed", content);
            ArrayNode sigs = doc.putArray("signatures");
            for (KeyPair k : by) {
                ObjectNode s = sigs.addObject();
                String id = role.equals("root") && rootKeys.contains(k) ? rootKeyId(k) : keyId(k);
                s.put("keyid", id);
                String type = keyType(k);
                Signature sig;
                String method;
                switch (type) {
                    case "ecdsa" -> {
                        sig = Signature.getInstance("SHA256withECDSAinP1363Format");
                        method = "ecdsa";
                    }
                    case "ed25519" -> {
                        sig = Signature.getInstance("Ed25519");
                        method = "eddsa";
                    }
                    default -> {
                        method = rsaMethod;
                        if (rsaMethod.equals("rsapss")) {
                            sig = Signature.getInstance("RSASSA-PSS");
                            sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                        } else {
                            sig = Signature.getInstance("SHA256withRSA");
                        }
                    }
                }
                sig.initSign(k.getPrivate());
                sig.update(msg);
                s.put("method", method);
                s.put("sig", Base64.getEncoder().encodeToString(sig.sign()));
            }
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(doc);
        } catch (GeneralSecurityException | CanonicalJson.NotCanonical | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the first signature's bytes in a metadata file (a corrupted or truncated signature). */
    public static byte[] withSignature(byte[] file, UnaryOperator<byte[]> change) {
        ObjectNode doc = (ObjectNode) Json.parse(file, "metadata");
        ObjectNode s = (ObjectNode) doc.get("signatures").get(0);
        s.put("sig", Base64.getEncoder().encodeToString(change.apply(Base64.getDecoder().decode(s.get("sig").asText()))));
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flips one bit of the signature. */
    public static byte[] flipped(byte[] sig) {
        byte[] c = sig.clone();
        c[c.length / 2] ^= 0x01;
        return c;
    }
}
