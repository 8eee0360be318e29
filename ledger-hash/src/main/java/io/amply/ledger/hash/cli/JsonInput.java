package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.JwkSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the verifier's JSON inputs: checkpoints in the shapes people will have them, and JWK Sets. */
final class JsonInput {

    /**
     * Configured as the reference implementation's own mapper, so numbers become the same node types
     * and hash the same; a duplicate member is refused because its meaning would be ambiguous.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonInput() {
    }

    /**
     * A checkpoint file: one checkpoint object, a JSON array of them, an API envelope
     * {@code {"data": [...]}}, or JSON Lines (several top-level objects).
     */
    static List<Checkpoint> readCheckpoints(Path file) {
        String source = file.toString();
        List<JsonNode> documents = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (InputStream in = InputFiles.open(file);
             MappingIterator<JsonNode> values = MAPPER.readerFor(JsonNode.class).readValues(in)) {
            while (values.hasNextValue()) {
                lines.add(values.getParser().currentTokenLocation().getLineNr());
                documents.add(values.nextValue());
            }
        } catch (JsonProcessingException e) {
            throw new InputError(source + " line " + e.getLocation().getLineNr() + ": malformed JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputError("cannot read " + source + ": " + InputFiles.describe(e), e);
        }
        if (documents.isEmpty()) {
            throw new InputError(source + " holds no JSON");
        }
        if (documents.size() == 1) {
            return checkpointsIn(documents.get(0), source);
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            checkpoints.add(checkpoint(documents.get(i), source + " line " + lines.get(i)));
        }
        return checkpoints;
    }

    /** The checkpoints in one JSON value: an envelope, an array, or a single checkpoint. */
    static List<Checkpoint> checkpointsIn(JsonNode json, String source) {
        JsonNode list = json;
        if (json.isObject() && json.has("data")) {
            list = json.get("data");
            if (!list.isArray()) {
                throw new InputError(source + ": \"data\" is not a JSON array of checkpoints");
            }
        }
        if (!list.isArray()) {
            return List.of(checkpoint(json, source));
        }
        List<Checkpoint> checkpoints = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            checkpoints.add(checkpoint(list.get(i), source + " checkpoint " + (i + 1)));
        }
        return checkpoints;
    }

    private static Checkpoint checkpoint(JsonNode json, String where) {
        if (!json.isObject()) {
            throw new InputError(where + " is not a checkpoint (a JSON object)");
        }
        try {
            return Checkpoint.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new InputError(where + ": " + e.getMessage(), e);
        }
    }

    static JwkSet readJwks(Path file) {
        String source = file.toString();
        try (InputStream in = InputFiles.open(file)) {
            return jwks(MAPPER.readTree(in), source);
        } catch (JsonProcessingException e) {
            throw new InputError(source + " line " + e.getLocation().getLineNr() + ": malformed JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputError("cannot read " + source + ": " + InputFiles.describe(e), e);
        }
    }

    /** A JWK Set; one wrapped in an API envelope {@code {"data": {...}}} is accepted too. */
    static JwkSet jwks(JsonNode json, String source) {
        JsonNode set = json != null && json.path("data").isObject() ? json.get("data") : json;
        if (set == null || !set.isObject()) {
            throw new InputError(source + " is not a JWK Set (a JSON object with a \"keys\" array)");
        }
        try {
            return JwkSet.fromJson(set);
        } catch (IllegalArgumentException e) {
            throw new InputError(source + " is not a usable JWK Set: " + e.getMessage(), e);
        }
    }
}
