package dev.dockaudit.trust.cosign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The simple-signing payload cosign signs (containers/image's signature format with cosign's type):
 * {@code {"critical": {"identity": {"docker-reference": …}, "image": {"docker-manifest-digest": …},
 * "type": "cosign container image signature"}, "optional": {…}}}.
 *
 * <p>Field names are matched without regard to case, as cosign's Go decoder does (the specification's own example
 * writes {@code Docker-manifest-digest}); a name given twice, in any case, makes the payload ambiguous and it is
 * refused rather than guessed at.
 */
public record SimpleSigningPayload(String dockerReference, Digest manifestDigest, String type) {
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String COSIGN_TYPE = "cosign container image signature";

    private static final ObjectMapper STRICT = Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A payload that cannot be read; the message says what is wrong. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static SimpleSigningPayload parse(byte[] payload) throws Invalid {
        JsonNode root;
        try {
            root = STRICT.readTree(payload);
        } catch (IOException e) {
            throw new Invalid("the signed payload is not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the signed payload is not a JSON object");
        }
        JsonNode critical = field(root, "critical");
        if (critical == null || !critical.isObject()) {
            throw new Invalid("the signed payload has no \"critical\" section");
        }
        JsonNode type = field(critical, "type");
        if (type == null || !type.isTextual() || !type.asText().equals(COSIGN_TYPE)) {
            throw new Invalid("the signed payload's critical.type is " + (type == null ? "missing" : type)
                    + ", not \"" + COSIGN_TYPE + "\"");
        }
        JsonNode image = field(critical, "image");
        JsonNode digest = image == null || !image.isObject() ? null : field(image, "docker-manifest-digest");
        if (digest == null || !digest.isTextual()) {
            throw new Invalid("the signed payload has no critical.image.docker-manifest-digest");
        }
        Digest d = Digest.parseOrNull(digest.asText());
        if (d == null) {
            throw new Invalid("the signed payload's docker-manifest-digest '" + digest.asText() + "' is not a digest");
        }
        JsonNode identity = field(critical, "identity");
        JsonNode ref = identity == null || !identity.isObject() ? null : field(identity, "docker-reference");
        if (ref != null && !ref.isTextual() && !ref.isNull()) {
            throw new Invalid("the signed payload's docker-reference is not a string");
        }
        return new SimpleSigningPayload(ref == null || ref.isNull() ? null : ref.asText(), d, type.asText());
    }

    /** The one field named {@code name} in any case; refuses a name given twice. */
    private static JsonNode field(JsonNode object, String name) throws Invalid {
        List<String> hits = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                hits.add(f);
            }
        }
        if (hits.size() > 1) {
            throw new Invalid("the signed payload names \"" + name + "\" more than once (" + String.join(", ", hits)
                    + "); verifiers could read different values, so it is refused");
        }
        return hits.isEmpty() ? null : object.get(hits.get(0));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
