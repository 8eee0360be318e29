package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance chain of ledger-hash-v1 (src/test/resources/ledger-v1, see its README) goes into
 * ledger_entries through the application's role and every trigger, and comes back byte-identical:
 * storage (jsonb, timestamptz) changes nothing the hashes cover.
 */
class ConformanceChainInDatabaseIT {

    @Test
    void theConformanceChainIsAcceptedAndReadsBackIdentically() throws Exception {
        // given
        TestStack stack = TestStack.get();
        List<LedgerEntry> vectors = chain();
        String org = vectors.get(0).organisationId();
        try (Connection app = stack.app()) {
            app.setAutoCommit(false);
            Tenants.setOrganisation(app, org);
            try (PreparedStatement insert = app.prepareStatement("""
                    INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                    VALUES (?, 'Conformance', 'GB', 'pending', 'public_full', now(), now()) ON CONFLICT DO NOTHING""")) {
                insert.setString(1, org);
                insert.executeUpdate();
            }
            app.commit();
            app.setAutoCommit(true);

            // when
            for (LedgerEntry entry : vectors) {
                Tenants.append(app, entry);
            }
        }

        // then
        List<LedgerEntry> stored = LedgerRowsReader.chainAsSuperuser(stack, org);
        assertThat(stored).isEqualTo(vectors);
        assertThat(ChainVerifier.verify(stored).valid()).isTrue();
    }

    private static List<LedgerEntry> chain() throws IOException {
        try (InputStream in = ConformanceChainInDatabaseIT.class.getResourceAsStream("/ledger-v1/chain.jsonl")) {
            List<LedgerEntry> entries = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode json = Http.JSON.readTree(line);
                    entries.add(LedgerEntry.fromJson(json));
                }
            }
            return entries;
        }
    }
}
