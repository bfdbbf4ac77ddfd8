package dev.dockaudit.trust.notary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies a repository's Docker Content Trust data as a TUF client (Notary's flavour) does, and says what it
 * found as findings rather than stopping at the first problem:
 *
 * <ol>
 *   <li><b>root</b>: the root role's keys must be certificates whose common name is the repository (GUN), valid now;
 *       a threshold of them must sign root.json;</li>
 *   <li><b>timestamp</b>: signed by the timestamp keys root names; it pins the snapshot's length and hashes;</li>
 *   <li><b>snapshot</b>: its bytes must match the timestamp's pin, it is signed by the snapshot keys, and it pins
 *       root.json, targets.json and each delegation's file;</li>
 *   <li><b>targets</b>: bytes as the snapshot pins them, signed by the targets keys root names;</li>
 *   <li><b>delegations</b> ({@code targets/releases}, {@code targets/NAME}), breadth first: each must be a direct child
 *       of the role that delegates to it (anything else, a loop included, is refused), its file must match the
 *       snapshot, be signed by a threshold of the keys its parent names, and sign only tags within its paths (the
 *       parent's paths restrict the child's, as Notary does).</li>
 * </ol>
 * Every role's {@code _type}, version and expiry are checked. A role's tags count as signed only when every link
 * above it holds (signatures, hashes, structure); expiry is reported but does not break the chain, so the report still
 * shows what was signed.
 */
public final class NotaryVerifier {
    static final long MAX_ROOT = 2L << 20;
    static final long MAX_TIMESTAMP = 1L << 20; // Notary's own limit for timestamp.json
    static final long MAX_PINNED = 64L << 20;
    static final int MAX_DELEGATIONS = 1000;
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    public static final String RELEASES = "targets/releases";
    private static final Pattern DELEGATION_NAME = Pattern.compile("targets(/[-a-z0-9_]+)+");

    // Finding ids
    public static final String SIGNATURE = "TRUST-NOTARY-SIGNATURE-INVALID";
    public static final String HASH = "TRUST-NOTARY-HASH-MISMATCH";
    public static final String METADATA = "TRUST-NOTARY-METADATA-INVALID";
    public static final String EXPIRED = "TRUST-NOTARY-EXPIRED";
    public static final String EXPIRING = "TRUST-NOTARY-EXPIRING";
    public static final String THRESHOLD_ONE = "TRUST-NOTARY-THRESHOLD-ONE";
    public static final String ROOT_CERT = "TRUST-NOTARY-ROOT-CERTIFICATE";
    public static final String DELEGATION = "TRUST-NOTARY-DELEGATION-INVALID";
    public static final String OUTSIDE_PATHS = "TRUST-NOTARY-OUTSIDE-PATHS";
    public static final String KEY = "TRUST-NOTARY-KEY-INVALID";

    private final Clock clock;

    public NotaryVerifier(Clock clock) {
        this.clock = clock;
    }

    /** A target (a tag) a role signs: its manifest digest (hex SHA-256, null when only SHA-512 is given) and length. */
    public record Target(String role, String name, String sha256, long length) {
    }

    /** A delegation a trusted role declares: name, its keys' canonical IDs, threshold and (restricted) paths. */
    public record Delegation(String name, List<String> keyIds, int threshold, List<String> paths) {
    }

    /**
     * What verification found.
     *
     * @param exists       false when the server has no trust data for the repository (no root.json)
     * @param rootKeyIds   the root role's key IDs as root.json lists them (what docker shows as "Root Key")
     * @param targetsKeyIds the targets role's key IDs ("Repository Key")
     * @param delegations  delegations declared by trusted roles, breadth first
     * @param targets      what each fully verified role signs, breadth first from targets
     * @param expires      expiry of every role read, by role name
     */
    public record Outcome(boolean exists, List<Finding> findings, List<String> notes, List<String> rootKeyIds,
                          List<String> targetsKeyIds, List<Delegation> delegations, List<Target> targets,
                          Map<String, Instant> expires) {
        /** True when no finding is HIGH or worse: the data verifies, as a TUF client would accept it. */
        public boolean verified() {
            return exists && findings.stream().noneMatch(f -> f.severity().atLeast(Severity.HIGH));
        }
    }

    /** A role as root or a parent names it: its keys (by ID) and threshold. */
    private record RoleKeys(Map<String, TufKey> keys, List<String> keyIds, int threshold) {
    }

    /** A length and hashes a parent pins a file to. */
    private record Pin(long length, Map<String, byte[]> hashes) {
    }

    /** One verification run's state. */
    private final class Run {
        final String gun;
        final MetadataSource source;
        final Instant now;
        final List<Finding> findings = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, Instant> expires = new LinkedHashMap<>();
        final List<String> thresholdOne = new ArrayList<>();

        Run(String gun, MetadataSource source) {
            this.gun = gun;
            this.source = source;
            this.now = clock.instant();
        }

        void add(String id, Severity s, String title, String description, String evidence, String remediation) {
            findings.add(Finding.builder(id, Category.TRUST, s, title).description(description).evidence(evidence)
                    .remediation(remediation).references(List.of("https://theupdateframework.github.io/specification/latest/"))
                    .build());
        }
    }

    public Outcome verify(String gun, MetadataSource source) {
        Run run = new Run(gun, source);
        List<String> rootKeyIds = List.of();
        List<String> targetsKeyIds = List.of();
        List<Delegation> delegations = new ArrayList<>();
        List<Target> targets = new ArrayList<>();

        // ---- root ----
        byte[] rootRaw = source.fetch("root", MAX_ROOT);
        if (rootRaw == null) {
            return new Outcome(false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        }
        SignedMetadata root = load(run, "root", rootRaw, MAX_ROOT, null);
        if (root == null) {
            return outcome(run, rootKeyIds, targetsKeyIds, delegations, targets);
        }
        Map<String, TufKey> rootKeys = keys(run, "root.json", root.signed().get("keys"));
        Map<String, RoleKeys> baseRoles = new LinkedHashMap<>();
        for (String r : new String[] {"root", "targets", "snapshot", "timestamp"}) {
            RoleKeys rk = roleKeys(run, "root.json", r, root.signed().path("roles").get(r), rootKeys);
            if (rk == null) {
                return outcome(run, rootKeyIds, targetsKeyIds, delegations, targets);
            }
            baseRoles.put(r, rk);
        }
        rootKeyIds = baseRoles.get("root").keyIds();
        targetsKeyIds = baseRoles.get("targets").keyIds();
        RoleKeys rootRole = rootCertificates(run, baseRoles.get("root"));
        boolean trusted = signatures(run, root, rootRole);
        expiry(run, root, true);
        threshold(run, "root", baseRoles.get("root"));
        threshold(run, "targets", baseRoles.get("targets"));

        // ---- timestamp ----
        SignedMetadata timestamp = load(run, "timestamp", source.fetch("timestamp", MAX_TIMESTAMP), MAX_TIMESTAMP, null);
        Pin snapshotPin = null;
        if (timestamp == null) {
            trusted = false;
        } else {
            trusted &= signatures(run, timestamp, baseRoles.get("timestamp"));
            expiry(run, timestamp, false);
            snapshotPin = pin(run, timestamp, "snapshot");
            trusted &= snapshotPin != null;
        }

        // ---- snapshot ----
        long snapshotMax = snapshotPin != null && snapshotPin.length() > 0 ? Math.min(snapshotPin.length(), MAX_PINNED) : MAX_PINNED;
        SignedMetadata snapshot = load(run, "snapshot", source.fetch("snapshot", snapshotMax), snapshotMax, snapshotPin);
        Pin targetsPin = null;
        if (snapshot == null) {
            trusted = false;
        } else {
            trusted &= hashesMatch(run, snapshot.role(), snapshot.raw(), snapshotPin, "timestamp");
            trusted &= signatures(run, snapshot, baseRoles.get("snapshot"));
            expiry(run, snapshot, true);
            Pin rootPin = pin(run, snapshot, "root");
            trusted &= rootPin != null && hashesMatch(run, "root", rootRaw, rootPin, "snapshot");
            targetsPin = pin(run, snapshot, "targets");
            trusted &= targetsPin != null;
        }

        // ---- targets ----
        long targetsMax = targetsPin != null && targetsPin.length() > 0 ? Math.min(targetsPin.length(), MAX_PINNED) : MAX_PINNED;
        SignedMetadata top = load(run, "targets", source.fetch("targets", targetsMax), targetsMax, targetsPin);
        if (top == null) {
            return outcome(run, rootKeyIds, targetsKeyIds, delegations, targets);
        }
        trusted &= hashesMatch(run, "targets", top.raw(), targetsPin, "snapshot");
        trusted &= signatures(run, top, baseRoles.get("targets"));
        expiry(run, top, true);

        // ---- targets and delegations, breadth first ----
        record Visit(String name, List<String> paths, SignedMetadata meta, boolean trusted) {
        }
        Deque<Visit> queue = new ArrayDeque<>();
        queue.add(new Visit("targets", List.of(""), top, trusted));
        Set<String> seen = new HashSet<>();
        seen.add("targets");
        int count = 0;
        while (!queue.isEmpty()) {
            Visit v = queue.poll();
            boolean ok = v.trusted() & collectTargets(run, v.meta(), v.paths(), targets, v.trusted());
            JsonNode declared = v.meta().signed().get("delegations");
            if (declared == null || declared.isNull()) {
                continue;
            }
            if (!declared.isObject() || !(declared.path("roles").isArray() || declared.path("roles").isMissingNode())) {
                malformed(run, v.name(), "has a \"delegations\" value that is not {keys, roles}");
                continue;
            }
            Map<String, TufKey> delegationKeys = keys(run, v.name() + ".json", declared.get("keys"));
            for (JsonNode d : declared.path("roles")) {
                String name = SignedMetadata.text(d, "name");
                if (name == null) {
                    malformed(run, v.name(), "delegates to a role without a name");
                    continue;
                }
                if (!isChild(v.name(), name)) {
                    boolean loop = name.equals(v.name()) || v.name().startsWith(name + "/") || seen.contains(name);
                    run.add(DELEGATION, Severity.HIGH, loop ? "delegation loop: " + v.name() + " delegates to " + name
                                    : v.name() + " delegates to " + name + ", which is not a role it may delegate to",
                            loop ? name + " is " + (name.equals(v.name()) ? "the role itself" : v.name().startsWith(name + "/")
                                    ? "an ancestor of " + v.name() : "already delegated elsewhere") + "; a TUF client refuses the"
                                    + " delegation instead of walking in circles."
                                    : "Notary only accepts delegations to direct children (" + v.name() + "/NAME, lower case"
                                    + " letters, digits, - and _); the delegation is ignored.",
                            "delegation \"" + clip(name) + "\" in " + v.name() + ".json", "Re-create the delegation with docker"
                                    + " trust signer add (or notary delegation add) so that it names a child role");
                    continue;
                }
                if (!seen.add(name)) {
                    run.add(DELEGATION, Severity.HIGH, v.name() + " declares the delegation " + name + " twice",
                            "Only the first declaration is used.", name, "Remove the duplicate delegation");
                    continue;
                }
                if (++count > MAX_DELEGATIONS) {
                    run.add(DELEGATION, Severity.HIGH, "more than " + MAX_DELEGATIONS + " delegations",
                            "dockaudit stops walking the delegation tree here; the rest is not verified.", name,
                            "Remove unused delegations");
                    queue.clear();
                    break;
                }
                RoleKeys rk = roleKeys(run, v.name() + ".json", name, d, delegationKeys);
                if (rk == null) {
                    continue;
                }
                List<String> childPaths = new ArrayList<>();
                for (JsonNode p : d.path("paths")) {
                    if (p.isTextual()) {
                        childPaths.add(p.textValue());
                    }
                }
                if (d.has("path_hash_prefixes") && !d.get("path_hash_prefixes").isEmpty()) {
                    run.notes.add("notary: " + name + " uses path_hash_prefixes, which Notary does not support; only its"
                            + " paths are honoured");
                }
                List<String> restricted = restrict(v.paths(), childPaths);
                if (restricted.size() < childPaths.size()) {
                    run.notes.add("notary: " + name + " lists paths outside those of " + v.name() + "; they are ignored");
                }
                if (ok) {
                    List<String> canonical = new ArrayList<>();
                    for (String id : rk.keyIds()) {
                        canonical.add(rk.keys().containsKey(id) ? rk.keys().get(id).canonicalId() : id);
                    }
                    delegations.add(new Delegation(name, List.copyOf(canonical), rk.threshold(), List.copyOf(restricted)));
                    threshold(run, name, rk);
                }
                Pin p = snapshot == null ? null : pinOrNull(snapshot, name);
                if (p == null) {
                    run.notes.add("notary: " + name + " has no metadata in the snapshot, so it signs nothing");
                    continue;
                }
                long max = p.length() > 0 ? Math.min(p.length(), MAX_PINNED) : MAX_PINNED;
                byte[] raw = source.fetch(name, max);
                if (raw == null) {
                    run.add(METADATA, Severity.HIGH, "the notary server has no " + name + ".json, which the snapshot lists",
                            "The snapshot pins " + name + " but the server does not serve it; its signatures cannot be verified.",
                            name + ".json: HTTP 404", "Re-publish the repository's trust data (docker trust sign)");
                    continue;
                }
                SignedMetadata meta = load(run, name, raw, max, p);
                if (meta == null) {
                    continue;
                }
                boolean childTrusted = ok;
                childTrusted &= hashesMatch(run, name, raw, p, "snapshot");
                childTrusted &= signatures(run, meta, rk);
                expiry(run, meta, true);
                queue.add(new Visit(name, restricted, meta, childTrusted));
            }
        }
        thresholdOneFinding(run);
        return outcome(run, rootKeyIds, targetsKeyIds, delegations, targets);
    }

    private static Outcome outcome(Run run, List<String> rootKeyIds, List<String> targetsKeyIds, List<Delegation> delegations,
                                   List<Target> targets) {
        return new Outcome(true, List.copyOf(run.findings), List.copyOf(run.notes), List.copyOf(rootKeyIds),
                List.copyOf(targetsKeyIds), List.copyOf(delegations), List.copyOf(targets),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(run.expires)));
    }

    /** True when {@code child} is a valid delegation name directly under {@code parent}, as Notary requires. */
    static boolean isChild(String parent, String child) {
        return child.length() < 256 && DELEGATION_NAME.matcher(child).matches() && child.startsWith(parent + "/")
                && child.indexOf('/', parent.length() + 1) < 0;
    }

    /** The child's paths that fall within the parent's (a parent path is a prefix of them), as Notary restricts them. */
    static List<String> restrict(List<String> parent, List<String> child) {
        List<String> out = new ArrayList<>();
        for (String c : child) {
            for (String p : parent) {
                if (c.startsWith(p)) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    /** Reads a role's bytes into metadata; a missing, too long or malformed file becomes a finding and null. */
    private SignedMetadata load(Run run, String role, byte[] raw, long max, Pin pin) {
        if (raw == null) {
            run.add(METADATA, Severity.HIGH, "the notary server has no " + role + ".json for " + run.gun,
                    "The repository has trust data (root.json) but no " + role + ".json, so nothing it signs can be verified.",
                    run.source.describe() + ": " + role + ".json HTTP 404", "Re-publish the trust data (docker trust sign)");
            return null;
        }
        if (raw.length > max) {
            if (pin != null && pin.length() > 0 && raw.length > pin.length()) {
                run.add(HASH, Severity.CRITICAL, role + ".json is longer than the " + pin.length() + " bytes "
                                + (role.equals("snapshot") ? "the timestamp" : "the snapshot") + " pins",
                        "The server sent more bytes than the signed metadata allows; a TUF client stops reading there and"
                                + " refuses the file (an endless-data or substitution attack).",
                        "more than " + pin.length() + " bytes", "Find out who changed the notary server's data");
            } else {
                run.add(METADATA, Severity.HIGH, role + ".json is larger than " + max + " bytes",
                        "dockaudit does not read trust metadata that large (a TUF client's size limit); it cannot be verified.",
                        "over " + max + " bytes", "Check the notary server; real metadata is a few kilobytes");
            }
            return null;
        }
        try {
            SignedMetadata md = SignedMetadata.parse(role, raw);
            run.expires.put(role, md.expires());
            return md;
        } catch (SignedMetadata.Malformed e) {
            malformed(run, role, e.getMessage());
            return null;
        }
    }

    private static void malformed(Run run, String role, String problem) {
        run.add(METADATA, Severity.HIGH, role + ".json " + clip(problem), "The trust metadata is not what TUF and Notary"
                        + " define, so a client refuses it and nothing it signs can be verified.", role + ".json from "
                        + run.source.describe(), "Re-publish the trust data with docker trust sign, or check the notary server");
    }

    /** The keys a metadata file carries, by ID; a key listed under an ID that is not its own is refused. */
    private Map<String, TufKey> keys(Run run, String where, JsonNode node) {
        Map<String, TufKey> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode priv = e.getValue().path("keyval").get("private");
            if (priv != null && !priv.isNull() && !(priv.isTextual() && priv.textValue().isEmpty())) {
                run.add(KEY, Severity.CRITICAL, where + " publishes the private part of key " + TufKey.shortId(e.getKey()),
                        "Trust metadata is public; anyone who reads it can sign with this key.", e.getKey(),
                        "Rotate the key at once (notary key rotate) and revoke what it signed");
            }
            TufKey k;
            try {
                k = TufKey.fromJson(e.getValue());
            } catch (IllegalArgumentException ex) {
                run.add(KEY, Severity.HIGH, where + " holds an unreadable key " + TufKey.shortId(e.getKey()),
                        ex.getMessage() + "; signatures by it cannot count.", e.getKey(), "Rotate the key");
                continue;
            }
            if (!k.id().equals(e.getKey())) {
                run.add(KEY, Severity.HIGH, where + " lists a key under an ID that is not its own",
                        "A key's ID is the SHA-256 of its canonical JSON; " + TufKey.shortId(e.getKey()) + " holds the key "
                                + TufKey.shortId(k.id()) + ". Notary refuses signatures by such a key.",
                        "listed " + e.getKey() + ", computed " + k.id(), "Re-publish the metadata with correct key IDs");
                continue;
            }
            out.put(k.id(), k);
        }
        return out;
    }

    /** A role's key IDs and threshold, as root or a delegation names them; null (with a finding) when unusable. */
    private RoleKeys roleKeys(Run run, String where, String role, JsonNode spec, Map<String, TufKey> keys) {
        if (spec == null || !spec.isObject() || !spec.path("keyids").isArray()) {
            malformed(run, where.replace(".json", ""), "does not define the " + role + " role (keyids and threshold)");
            return null;
        }
        JsonNode t = spec.get("threshold");
        if (t == null || !t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 1) {
            malformed(run, where.replace(".json", ""), "gives the " + role + " role the threshold "
                    + (t == null ? "none" : t.toString()) + "; it must be at least 1");
            return null;
        }
        List<String> ids = new ArrayList<>();
        Map<String, TufKey> roleKeys = new LinkedHashMap<>();
        for (JsonNode id : spec.get("keyids")) {
            if (!id.isTextual()) {
                continue;
            }
            ids.add(id.textValue());
            TufKey k = keys.get(id.textValue());
            if (k != null) {
                roleKeys.put(id.textValue(), k);
            }
        }
        if (roleKeys.size() < t.intValue()) {
            run.add(KEY, Severity.HIGH, "the " + role + " role can never reach its threshold",
                    where + " names " + ids.size() + " key(s) for " + role + ", " + roleKeys.size() + " of them usable, but"
                            + " requires " + t.intValue() + " signatures.", role + ": threshold " + t.intValue(),
                    "Add the missing keys or lower the threshold");
        }
        return new RoleKeys(roleKeys, List.copyOf(ids), t.intValue());
    }

    /**
     * Root keys are certificates in Notary; a TUF client trusts only those whose common name is the repository and
     * that are valid now. Returns the root role with the keys that may count.
     */
    private RoleKeys rootCertificates(Run run, RoleKeys rootRole) {
        Map<String, TufKey> usable = new LinkedHashMap<>();
        for (Map.Entry<String, TufKey> e : rootRole.keys().entrySet()) {
            TufKey k = e.getValue();
            String sid = TufKey.shortId(k.id());
            if (!k.isX509()) {
                // Still counted for the signature check, so that the report says whether it signed; docker refuses it.
                run.add(ROOT_CERT, Severity.HIGH, "root key " + sid + " is a bare " + k.type() + " key, not a certificate",
                        "Notary binds a repository's root keys to its name with certificates (CN = the repository); the"
                                + " docker client refuses root keys without one.", k.id(), "Rotate the root key with notary key rotate");
                usable.put(e.getKey(), k);
                continue;
            }
            X509Certificate cert;
            try {
                List<X509Certificate> certs = k.certificates();
                cert = certs.get(0);
                if (cert.getBasicConstraints() >= 0) {
                    throw new GeneralSecurityException("the first certificate is a CA certificate, not the key's own");
                }
                k.publicKey();
            } catch (GeneralSecurityException | RuntimeException ex) {
                run.add(ROOT_CERT, Severity.HIGH, "root key " + sid + " has no usable certificate", ex.getMessage() + ".",
                        k.id(), "Rotate the root key");
                continue;
            }
            String cn = commonName(cert);
            if (!matchesGun(cn, run.gun)) {
                run.add(ROOT_CERT, Severity.CRITICAL, "the root certificate is for \"" + clip(cn) + "\", not " + run.gun,
                        "Notary's root certificates name the repository they sign for; this root belongs to another repository,"
                                + " so its trust data may have been swapped in (a mix-and-match attack).",
                        "root key " + k.id() + ", subject " + cert.getSubjectX500Principal().getName(),
                        "Do not trust this repository's signatures; find out where the trust data came from");
                continue;
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            if (run.now.isBefore(cert.getNotBefore().toInstant())) {
                run.add(ROOT_CERT, Severity.HIGH, "root certificate " + sid + " is not valid until " + cert.getNotBefore().toInstant(),
                        "A TUF client refuses a root whose certificate is not yet valid.", k.id(), "Check the signer's clock and"
                                + " re-create the root certificate");
            } else if (run.now.isAfter(notAfter)) {
                run.add(ROOT_CERT, Severity.HIGH, "root certificate " + sid + " expired on " + notAfter,
                        "The docker client refuses a root whose certificates have expired; no tag of the repository can be"
                                + " pulled with content trust.", k.id(), "Rotate the root key (notary key rotate GUN root)");
            } else if (run.now.plus(EXPIRY_WARNING).isAfter(notAfter)) {
                run.add(ROOT_CERT, Severity.MEDIUM, "root certificate " + sid + " expires on " + notAfter,
                        "Within " + EXPIRY_WARNING.toDays() + " days the repository's root stops being accepted.", k.id(),
                        "Rotate the root key before it expires");
            }
            String alg = cert.getSigAlgName().toUpperCase(Locale.ROOT);
            if (alg.contains("SHA1") || alg.contains("MD5")) {
                run.add(ROOT_CERT, Severity.HIGH, "root certificate " + sid + " is signed with " + cert.getSigAlgName(),
                        "Notary refuses certificates signed with SHA-1.", k.id(), "Rotate the root key");
            }
            if (cert.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                run.add(ROOT_CERT, Severity.HIGH, "root key " + sid + " is a " + rsa.getModulus().bitLength() + "-bit RSA key",
                        "Notary refuses RSA keys under 2048 bits.", k.id(), "Rotate the root key");
            }
            usable.put(e.getKey(), k);
        }
        return new RoleKeys(usable, rootRole.keyIds(), rootRole.threshold());
    }

    static String commonName(X509Certificate c) {
        try {
            for (var rdn : new javax.naming.ldap.LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** Notary's rule: the CN is the GUN, or ends with * and prefixes it. */
    static boolean matchesGun(String cn, String gun) {
        if (cn.endsWith("*")) {
            return gun.startsWith(cn.replaceAll("\\*+$", ""));
        }
        return cn.equals(gun);
    }

    /** Checks that a threshold of the role's keys signed the metadata; a finding when not. */
    private boolean signatures(Run run, SignedMetadata md, RoleKeys role) {
        List<byte[]> messages;
        try {
            messages = CanonicalJson.encodings(md.signed());
        } catch (CanonicalJson.NotCanonical e) {
            run.add(SIGNATURE, Severity.CRITICAL, "the signature of " + md.role() + ".json cannot be verified",
                    "Its signed content has no canonical form (" + e.getMessage() + "), so no signature can cover it.",
                    md.role() + ".json", "Re-publish the trust data");
            return false;
        }
        Set<String> valid = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (SignedMetadata.Sig s : md.signatures()) {
            TufKey k = role.keys().get(s.keyId());
            if (k == null) {
                continue; // a signature by a key the role does not name counts for nothing, as in Notary
            }
            if (s.sig() == null) {
                problems.add("the signature by " + TufKey.shortId(s.keyId()) + " is not base64");
                continue;
            }
            SignatureVerifier.Result r = null;
            for (byte[] m : messages) {
                r = SignatureVerifier.verify(s.method(), k, s.sig(), m);
                if (r.valid()) {
                    break;
                }
            }
            if (r.valid()) {
                valid.add(s.keyId());
            } else {
                problems.add(TufKey.shortId(s.keyId()) + ": " + r.reason());
            }
        }
        if (valid.size() >= role.threshold()) {
            return true;
        }
        run.add(SIGNATURE, Severity.CRITICAL, md.role() + ".json is not signed by its keys",
                valid.size() + " valid signature(s) from the keys " + (md.role().equals("root") || md.role().equals("targets")
                        || md.role().equals("snapshot") || md.role().equals("timestamp") ? "root.json" : "its parent role")
                        + " names for " + md.role() + ", " + role.threshold() + " required"
                        + (problems.isEmpty() ? "; no signature is by one of those keys" : ": " + String.join("; ", problems))
                        + ". The metadata was altered or signed by someone else; a TUF client refuses it.",
                "keys " + String.join(", ", role.keyIds().stream().map(TufKey::shortId).toList()) + "; signatures by "
                        + String.join(", ", md.signatures().stream().map(s -> TufKey.shortId(s.keyId())).toList()),
                "Treat the repository's trust data as compromised until its owner re-signs it");
        return false;
    }

    private void expiry(Run run, SignedMetadata md, boolean warnEarly) {
        Instant exp = md.expires();
        if (run.now.isAfter(exp)) {
            run.add(EXPIRED, Severity.HIGH, md.role() + ".json expired on " + exp,
                    "A TUF client refuses expired metadata: docker pull with content trust fails, and an attacker may be"
                            + " replaying old trust data (a freeze attack).", md.role() + " expires " + exp,
                    md.role().equals("timestamp") || md.role().equals("snapshot")
                            ? "The notary server re-signs " + md.role() + " when it holds the key; check the server"
                            : "Re-sign the role (docker trust sign, or notary publish) to extend it");
        } else if (warnEarly && run.now.plus(EXPIRY_WARNING).isAfter(exp)) {
            run.add(EXPIRING, Severity.MEDIUM, md.role() + ".json expires on " + exp,
                    "Within " + EXPIRY_WARNING.toDays() + " days the role's metadata expires and docker pull with content"
                            + " trust will fail.", md.role() + " expires " + exp, "Re-sign the role before it expires");
        }
    }

    private static void threshold(Run run, String role, RoleKeys rk) {
        if (rk.threshold() == 1) {
            run.thresholdOne.add(role + (rk.keyIds().size() == 1 ? "" : " (1 of " + rk.keyIds().size() + " keys)"));
        }
    }

    private static void thresholdOneFinding(Run run) {
        if (run.thresholdOne.isEmpty()) {
            return;
        }
        run.add(THRESHOLD_ONE, Severity.LOW, "roles signed by a single key: " + String.join(", ", run.thresholdOne),
                "With a threshold of one, one stolen key is enough to sign anything the role may sign.",
                "threshold 1: " + String.join(", ", run.thresholdOne),
                "Raise the threshold of the root and targets roles and use several signers where the risk warrants it");
    }

    /** The pin (length and hashes) a metadata file gives another role; null with a finding when absent or malformed. */
    private Pin pin(Run run, SignedMetadata md, String role) {
        Pin p = pinOrNull(md, role);
        if (p == null) {
            malformed(run, md.role(), "does not pin " + role + " with a length and a sha256 or sha512 hash");
        }
        return p;
    }

    private static Pin pinOrNull(SignedMetadata md, String role) {
        JsonNode m = md.signed().path("meta").get(role);
        if (m == null || !m.isObject()) {
            return null;
        }
        JsonNode len = m.get("length");
        JsonNode hashes = m.get("hashes");
        if (len == null || !len.isIntegralNumber() || !len.canConvertToLong() || len.longValue() < 0 || hashes == null
                || !hashes.isObject()) {
            return null;
        }
        Map<String, byte[]> hs = new LinkedHashMap<>();
        for (String alg : new String[] {"sha256", "sha512"}) {
            JsonNode h = hashes.get(alg);
            if (h == null) {
                continue;
            }
            try {
                byte[] b = Base64.getDecoder().decode(h.asText());
                if (b.length != (alg.equals("sha256") ? 32 : 64)) {
                    return null;
                }
                hs.put(alg, b);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return hs.isEmpty() ? null : new Pin(len.longValue(), hs);
    }

    /** Compares a file with the hashes its parent pins; a finding when they differ. */
    private boolean hashesMatch(Run run, String role, byte[] raw, Pin pin, String pinnedBy) {
        if (pin == null) {
            return false;
        }
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, byte[]> h : pin.hashes().entrySet()) {
            try {
                byte[] actual = MessageDigest.getInstance(h.getKey().equals("sha256") ? "SHA-256" : "SHA-512").digest(raw);
                if (!MessageDigest.isEqual(actual, h.getValue())) {
                    bad.add(h.getKey() + " " + HexFormat.of().formatHex(actual) + " where " + pinnedBy + " pins "
                            + HexFormat.of().formatHex(h.getValue()));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!bad.isEmpty()) {
            run.add(HASH, Severity.CRITICAL, role + ".json does not match the hash " + pinnedBy + ".json pins",
                    "The file served is not the one the signed " + pinnedBy + " metadata names (" + raw.length + " bytes served, "
                            + pin.length() + " pinned); it was altered, or the server mixes versions. A TUF client refuses it.",
                    String.join("; ", bad), "Treat the repository's trust data as tampered with until its owner re-signs it");
            return false;
        }
        if (pin.length() != raw.length) {
            run.add(HASH, Severity.HIGH, role + ".json is " + raw.length + " bytes, but " + pinnedBy + ".json says "
                    + pin.length(), "The hashes match but the pinned length does not; the metadata is inconsistent.",
                    role + ".json", "Re-publish the trust data");
            return false;
        }
        return true;
    }

    /**
     * Collects what a role signs; targets outside the role's paths are refused with a finding. Returns false when the
     * role's targets are malformed (a TUF client refuses the whole file then).
     */
    private boolean collectTargets(Run run, SignedMetadata md, List<String> paths, List<Target> out, boolean trusted) {
        JsonNode ts = md.signed().get("targets");
        if (ts == null || !ts.isObject()) {
            malformed(run, md.role(), "has no \"targets\" object");
            return false;
        }
        List<Target> found = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode meta = e.getValue();
            JsonNode len = meta.get("length");
            JsonNode hashes = meta.get("hashes");
            String sha256 = null;
            boolean hashOk = false;
            if (hashes != null && hashes.isObject()) {
                for (String alg : new String[] {"sha256", "sha512"}) {
                    JsonNode h = hashes.get(alg);
                    if (h == null) {
                        continue;
                    }
                    try {
                        byte[] b = Base64.getDecoder().decode(h.asText());
                        if (b.length == (alg.equals("sha256") ? 32 : 64)) {
                            hashOk = true;
                            if (alg.equals("sha256")) {
                                sha256 = HexFormat.of().formatHex(b);
                            }
                        }
                    } catch (IllegalArgumentException ex) {
                        hashOk = false;
                    }
                }
            }
            if (len == null || !len.isIntegralNumber() || !hashOk) {
                malformed(run, md.role(), "signs \"" + clip(e.getKey()) + "\" without a length and a valid sha256 or sha512 hash");
                return false;
            }
            boolean allowed = false;
            for (String p : paths) {
                if (e.getKey().startsWith(p)) {
                    allowed = true;
                    break;
                }
            }
            if (!allowed) {
                outside.add(e.getKey());
                continue;
            }
            found.add(new Target(md.role(), e.getKey(), sha256, len.longValue()));
        }
        if (!outside.isEmpty()) {
            run.add(OUTSIDE_PATHS, Severity.HIGH, md.role() + " signs tags outside the paths it was delegated",
                    "Its parent delegates only " + (paths.isEmpty() ? "no paths" : "paths starting with "
                            + String.join(", ", paths.stream().map(p -> "\"" + p + "\"").toList())) + "; a TUF client ignores "
                            + "these signatures.", String.join(", ", outside.stream().map(NotaryVerifier::clip).toList()),
                    "Sign these tags with a role that is delegated them");
        }
        if (trusted) {
            out.addAll(found);
        }
        return true;
    }

    /** Text from the metadata, bounded for titles and evidence. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 120 ? s.substring(0, 119) + "…" : s;
    }
}
