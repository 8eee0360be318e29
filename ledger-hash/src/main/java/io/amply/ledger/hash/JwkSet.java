package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The published verification keys (RFC 7517 / RFC 8037: {@code OKP}, {@code Ed25519}). */
public final class JwkSet {

    private final Map<String, PublicKey> keys;

    public JwkSet(Map<String, PublicKey> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public Optional<PublicKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public Map<String, PublicKey> keys() {
        return keys;
    }

    /** Reads a JWK Set; keys of other types are ignored, as RFC 7517 §5 asks. */
    public static JwkSet fromJson(JsonNode json) {
        JsonNode array = json.get("keys");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("a JWK Set has a \"keys\" array");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JsonNode jwk : array) {
            if ("OKP".equals(jwk.path("kty").asText()) && "Ed25519".equals(jwk.path("crv").asText())
                    && jwk.hasNonNull("kid") && jwk.hasNonNull("x")) {
                keys.put(jwk.get("kid").asText(), Ed25519Keys.publicKeyFromJwkX(jwk.get("x").asText()));
            }
        }
        return new JwkSet(keys);
    }

    public ObjectNode toJson() {
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        ArrayNode array = set.putArray("keys");
        keys.forEach((kid, key) -> array.addObject()
                .put("kty", "OKP").put("crv", "Ed25519").put("kid", kid).put("use", "sig").put("alg", "EdDSA")
                .put("x", Ed25519Keys.jwkX(key)));
        return set;
    }
}
