package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ConformanceVectorsTest {

    private final JsonNode expected = Vectors.json("ledger-v1/expected.json");

    @Test
    void theConformanceChainIsValid() {
        // when
        ChainVerdict verdict = ChainVerifier.verify(Vectors.chain("ledger-v1/chain.jsonl"));

        // then
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.entriesChecked()).isEqualTo(4);
        assertThat(verdict.headSequence()).isEqualTo(4);
        assertThat(verdict.firstBadSequence()).isNull();
    }

    @Test
    void contentAndLinkCanonicalFormsMatchTheVectorsByteForByte() {
        // given
        List<LedgerEntry> chain = Vectors.chain("ledger-v1/chain.jsonl");
        String[] lines = Vectors.text("ledger-v1/canonical-content.txt").split("\n");

        // then
        for (int i = 0; i < chain.size(); i++) {
            LedgerEntry entry = chain.get(i);
            assertThat(Jcs.canonicalize(entry.content())).isEqualTo(lines[2 * i]);
            assertThat(Jcs.canonicalize(LedgerHashes.link(entry.contentHash(), entry.prevEntryHash())))
                    .isEqualTo(lines[2 * i + 1]);
        }
    }

    @Test
    void sealingTheVectorsContentReproducesEveryHash() {
        // given
        List<LedgerEntry> chain = Vectors.chain("ledger-v1/chain.jsonl");
        String prev = null;

        for (LedgerEntry entry : chain) {
            // when
            LedgerEntry sealed = LedgerHashes.seal(entry.id(), entry.organisationId(), entry.sequence(), entry.type(),
                    entry.amount(), entry.currency(), entry.visibility(), entry.metadata(), entry.createdAt(), prev);

            // then
            assertThat(sealed).isEqualTo(entry);
            prev = sealed.entryHash();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"amount-changed.tampered.jsonl", "metadata-changed.tampered.jsonl",
            "entry-deleted.tampered.jsonl", "entries-swapped.tampered.jsonl", "rehashed-forgery.tampered.jsonl"})
    void tamperedCopiesGetTheExpectedVerdict(String file) {
        // given
        JsonNode want = expected.get(file);

        // when
        ChainVerdict verdict = ChainVerifier.verify(Vectors.chain("ledger-v1/" + file));

        // then
        assertThat(verdict.valid()).isEqualTo(want.get("chain_valid").booleanValue());
        if (want.get("first_bad_sequence").isNull()) {
            assertThat(verdict.firstBadSequence()).isNull();
        } else {
            assertThat(verdict.firstBadSequence()).isEqualTo(want.get("first_bad_sequence").longValue());
            assertThat(verdict.reason()).isNotBlank();
        }
    }

    @Test
    void theCheckpointVerifiesAgainstTheChainAndExposesTheRehashedForgery() {
        // given
        Checkpoint checkpoint = Checkpoint.fromJson(Vectors.json("ledger-v1/checkpoint.json"));
        JwkSet keys = JwkSet.fromJson(Vectors.json("ledger-v1/jwks.json"));
        Map<Long, String> genuine = hashesBySequence("ledger-v1/chain.jsonl");
        Map<Long, String> forged = hashesBySequence("ledger-v1/rehashed-forgery.tampered.jsonl");

        // when
        CheckpointVerifier.Result onGenuine = CheckpointVerifier.verify(checkpoint, keys, genuine::get);
        CheckpointVerifier.Result onForgery = CheckpointVerifier.verify(checkpoint, keys, forged::get);

        // then
        JsonNode want = expected.get("checkpoint.json");
        assertThat(onGenuine.signatureValid()).isEqualTo(want.get("signature_valid").booleanValue());
        assertThat(onGenuine.matchesChain()).isEqualTo(want.get("matches_chain.jsonl_head").booleanValue());
        assertThat(onForgery.signatureValid()).isTrue();
        assertThat(onForgery.matchesChain()).isFalse();
    }

    @Test
    void signingTheCheckpointBodyWithTheTestKeyReproducesItsSignature() {
        // given: Ed25519 signatures are deterministic (RFC 8032)
        Checkpoint published = Checkpoint.fromJson(Vectors.json("ledger-v1/checkpoint.json"));

        // when
        Checkpoint resigned = Checkpoint.sign(null, published.organisationId(), published.sequence(),
                published.entryHash(), published.createdAt(), published.keyId(),
                Ed25519Keys.privateKeyFromPem(Vectors.text("ledger-v1/test-signing-key.pem")));

        // then
        assertThat(resigned.signature()).isEqualTo(published.signature());
    }

    @Test
    void aModifiedCheckpointBodyOrAnUnknownKeyIsReported() {
        // given
        Checkpoint published = Checkpoint.fromJson(Vectors.json("ledger-v1/checkpoint.json"));
        JwkSet keys = JwkSet.fromJson(Vectors.json("ledger-v1/jwks.json"));
        Map<Long, String> genuine = hashesBySequence("ledger-v1/chain.jsonl");
        Checkpoint moved = new Checkpoint(null, published.organisationId(), 3, published.entryHash(),
                published.createdAt(), published.keyId(), published.signature());
        Checkpoint unknownKey = new Checkpoint(null, published.organisationId(), published.sequence(),
                published.entryHash(), published.createdAt(), "retired-2020", published.signature());

        // when / then
        assertThat(CheckpointVerifier.verify(moved, keys, genuine::get).signatureValid()).isFalse();
        assertThat(CheckpointVerifier.verify(unknownKey, keys, genuine::get).problem()).contains("does not publish");
    }

    @Test
    void thePublicKeyDerivedFromTheTestKeyIsTheOnePublished() {
        // given
        var privateKey = Ed25519Keys.privateKeyFromPem(Vectors.text("ledger-v1/test-signing-key.pem"));

        // when
        String x = Ed25519Keys.jwkX(Ed25519Keys.publicKeyOf(privateKey));

        // then
        assertThat(x).isEqualTo(Vectors.json("ledger-v1/jwks.json").get("keys").get(0).get("x").asText());
    }

    @Test
    void aPublicExportWithWithheldContentStillVerifiesItsLinks() {
        // given: entries 3 and 4 are internal_only / public_aggregated, so a public reader lacks their content
        List<LedgerEntry> publicView = Vectors.chain("ledger-v1/chain.jsonl").stream()
                .map(e -> e.visibility().equals("public_full") ? e : e.withoutContent())
                .toList();

        // when
        ChainVerifier verifier = new ChainVerifier();
        publicView.forEach(verifier::accept);

        // then
        assertThat(verifier.verdict().valid()).isTrue();
        assertThat(verifier.withheldEntries()).isEqualTo(2);
    }

    private static Map<Long, String> hashesBySequence(String resource) {
        return Vectors.chain(resource).stream()
                .collect(Collectors.toMap(LedgerEntry::sequence, LedgerEntry::entryHash, (a, b) -> a));
    }

}
