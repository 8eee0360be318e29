package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.Ed25519Keys;
import io.amply.ledger.hash.JwkSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint and JWK Set files. Read as {@link JsonInput} reads them, but a file of the usual
 * plain shape is read with {@link SimpleJson}, to the same result, without setting up Jackson's
 * databind; any other file, and any file with a problem to report, goes to JsonInput.
 */
final class Inputs {

    /** Larger files are left to JsonInput, which streams them. */
    private static final int MAX_SIMPLE_FILE = 16 * 1024 * 1024;

    private Inputs() {
    }

    static List<Checkpoint> readCheckpoints(Path file) {
        List<Checkpoint> simple = simpleCheckpoints(file);
        return simple != null ? simple : JsonInput.readCheckpoints(file);
    }

    static JwkSet readJwks(Path file) {
        JwkSet simple = simpleJwks(file);
        return simple != null ? simple : JsonInput.readJwks(file);
    }

    /** JsonInput.readCheckpoints's result for a plain file that it reads without a problem; otherwise null. */
    static List<Checkpoint> simpleCheckpoints(Path file) {
        List<Object> values = documents(file);
        if (values == null || values.isEmpty()) {
            return null;
        }
        // Jackson's readValues unwraps a root-level array: its elements are the documents, and what
        // follows the array is not read at all.
        List<Object> documents = values.get(0) instanceof List<?> array ? new ArrayList<>(array) : values;
        if (documents.isEmpty()) {
            return null;
        }
        List<Object> list;
        if (documents.size() == 1) {
            // JsonInput.checkpointsIn: an envelope {"data": [...]}, an array, or a single checkpoint
            Object json = documents.get(0);
            if (json instanceof Map<?, ?> object && object.containsKey("data")) {
                if (!(object.get("data") instanceof List<?> data)) {
                    return null;
                }
                list = new ArrayList<>(data);
            } else if (json instanceof List<?> array) {
                list = new ArrayList<>(array);
            } else {
                list = documents;
            }
        } else {
            list = documents;
        }
        List<Checkpoint> checkpoints = new ArrayList<>(list.size());
        for (Object element : list) {
            Checkpoint checkpoint = checkpoint(element);
            if (checkpoint == null) {
                return null;
            }
            checkpoints.add(checkpoint);
        }
        return checkpoints;
    }

    /** Checkpoint.fromJson for a checkpoint whose members are plain: v exactly 1, an integer sequence, strings or nulls. */
    private static Checkpoint checkpoint(Object json) {
        if (!(json instanceof Map<?, ?> object)) {
            return null;
        }
        if (!Long.valueOf(1).equals(object.get("v")) || !(object.get("sequence") instanceof Long sequence)) {
            return null;
        }
        String[] texts = new String[6];
        String[] names = {"id", "organisation_id", "entry_hash", "created_at", "key_id", "signature"};
        for (int i = 0; i < names.length; i++) {
            Object value = object.get(names[i]);
            if (value instanceof String text) {
                texts[i] = text;
            } else if (value != null && value != SimpleJson.NULL) {
                // asText() of a number or a boolean: left to JsonInput rather than imitated
                return null;
            }
        }
        return new Checkpoint(texts[0], texts[1], sequence, texts[2], texts[3], texts[4], texts[5]);
    }

    /** JsonInput.readJwks's result for a plain file that it reads without a problem; otherwise null. */
    static JwkSet simpleJwks(Path file) {
        List<Object> documents = documents(file);
        if (documents == null || documents.size() != 1) {
            return null;
        }
        // JsonInput.jwks: a JWK Set, or one in an API envelope {"data": {...}}
        Object json = documents.get(0);
        Object set = json instanceof Map<?, ?> object && object.get("data") instanceof Map<?, ?> data ? data : json;
        if (!(set instanceof Map<?, ?> members) || !(members.get("keys") instanceof List<?> array)) {
            return null;
        }
        // JwkSet.fromJson: Ed25519 keys with a kid and an x; keys of other types are ignored
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Object element : array) {
            if (!(element instanceof Map<?, ?> jwk)) {
                // jwk.path(...) of a non-object is missing: not an Ed25519 key
                continue;
            }
            Object kty = jwk.get("kty");
            Object crv = jwk.get("crv");
            Object kid = jwk.get("kid");
            Object x = jwk.get("x");
            for (Object member : new Object[]{kty, crv, kid, x}) {
                if (member != null && !(member instanceof String)) {
                    // asText() of a number, a null, an object: left to JsonInput rather than imitated
                    return null;
                }
            }
            if ("OKP".equals(kty) && "Ed25519".equals(crv) && kid != null && x != null) {
                try {
                    keys.put((String) kid, Ed25519Keys.publicKeyFromJwkX((String) x));
                } catch (RuntimeException e) {
                    // an unusable key: JsonInput words the error
                    return null;
                }
            }
        }
        return new JwkSet(keys);
    }

    private static List<Object> documents(Path file) {
        try (InputStream in = InputFiles.open(file)) {
            byte[] text = in.readNBytes(MAX_SIMPLE_FILE + 1);
            return text.length > MAX_SIMPLE_FILE ? null : SimpleJson.read(text);
        } catch (IOException e) {
            // JsonInput reports it
            return null;
        }
    }
}
