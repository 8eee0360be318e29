package io.amply.local;

import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the database itself guarantees about ledger_entries, whatever the application does. */
class LedgerEntriesGuardsIT {

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    private static String organisationWithEntries(int count) throws SQLException {
        try (Connection app = stack.app()) {
            String org = Tenants.createOrganisation(app);
            String prev = null;
            for (int sequence = 1; sequence <= count; sequence++) {
                LedgerEntry entry = Tenants.entry(org, sequence, prev);
                Tenants.append(app, entry);
                prev = entry.entryHash();
            }
            return org;
        }
    }

    private static void inContext(Connection connection, String org, String sql) throws SQLException {
        connection.setAutoCommit(false);
        try {
            Tenants.setOrganisation(connection, org);
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            connection.commit();
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Test
    void theAppRoleCannotUpdateDeleteOrTruncateEntries() throws SQLException {
        // given
        String org = organisationWithEntries(2);

        try (Connection app = stack.app()) {
            // when / then
            assertThatThrownBy(() -> inContext(app, org, "UPDATE ledger_entries SET amount = 1 WHERE organisation_id = '" + org + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> inContext(app, org, "DELETE FROM ledger_entries WHERE organisation_id = '" + org + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> inContext(app, org, "TRUNCATE ledger_entries"))
                    .hasMessageContaining("permission denied");
        }
        assertThat(LedgerRowsReader.chainAsSuperuser(stack, org)).hasSize(2);
    }

    @Test
    void evenTheOwnerIsRefusedByTheImmutabilityTriggers() throws SQLException {
        // given
        String org = organisationWithEntries(2);

        try (Connection owner = stack.owner()) {
            // when / then
            assertThatThrownBy(() -> inContext(owner, org, "UPDATE ledger_entries SET amount = 1 WHERE organisation_id = '" + org + "'"))
                    .hasMessageContaining("Ledger entries are immutable: UPDATE on ledger_entries is not allowed");
            assertThatThrownBy(() -> inContext(owner, org, "DELETE FROM ledger_entries WHERE organisation_id = '" + org + "'"))
                    .hasMessageContaining("Ledger entries are immutable: DELETE on ledger_entries is not allowed");
            assertThatThrownBy(() -> inContext(owner, org, "TRUNCATE ledger_entries"))
                    .hasMessageContaining("Ledger entries are immutable: TRUNCATE on ledger_entries is not allowed");
        }
        assertThat(LedgerRowsReader.chainAsSuperuser(stack, org)).hasSize(2);
    }

    @Test
    void theAppRoleCannotDisableTriggersOrAlterTheTable() throws SQLException {
        try (Connection app = stack.app(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("ALTER TABLE ledger_entries DISABLE TRIGGER prevent_ledger_update"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> statement.execute("ALTER TABLE ledger_entries DISABLE TRIGGER ALL"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> statement.execute("ALTER TABLE ledger_entries DISABLE ROW LEVEL SECURITY"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> statement.execute("DROP TRIGGER verify_ledger_chain ON ledger_entries"))
                    .hasMessageContaining("must be owner");
        }
    }

    @Test
    void anEntryWithTheWrongPrevEntryHashIsRefused() throws SQLException {
        // given
        String org = organisationWithEntries(2);
        LedgerEntry forged = Tenants.entry(org, 3, "sha256:" + "0".repeat(64));

        // when / then
        try (Connection app = stack.app()) {
            assertThatThrownBy(() -> Tenants.append(app, forged))
                    .hasMessageContaining("Hash chain broken: prev_entry_hash of sequence 3 does not match");
        }
    }

    @Test
    void aLinkToAHashOnlyATemporaryTableHoldsIsRefused() throws SQLException {
        // given: the app role's temporary table of the ledger's name, holding the hash a forged entry extends (the
        // chain check read it first until V44: its search_path was the caller's, temporary schema first)
        String org = organisationWithEntries(2);
        String forgedPrevious = "sha256:" + "c".repeat(64);
        // (a role that may create temporary objects, as every role could until V50)
        stack.temporaryObjectsForTheApp(true);
        try (Connection app = stack.app(); Statement statement = app.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE ledger_entries (organisation_id text, sequence bigint, entry_hash text)");
            statement.execute("INSERT INTO ledger_entries VALUES ('" + org + "', 2, '" + forgedPrevious + "')");

            // when / then
            assertThatThrownBy(() -> Tenants.append(app, Tenants.entry(org, 3, forgedPrevious), "public.ledger_entries"))
                    .hasMessageContaining("Hash chain broken: prev_entry_hash of sequence 3 does not match");
        } finally {
            stack.temporaryObjectsForTheApp(false);
        }
    }

    @Test
    void aSkippedSequenceIsRefused() throws SQLException {
        // given
        String org = organisationWithEntries(2);
        String head = LedgerRowsReader.chainAsSuperuser(stack, org).get(1).entryHash();

        // when / then
        try (Connection app = stack.app()) {
            assertThatThrownBy(() -> Tenants.append(app, Tenants.entry(org, 4, head)))
                    .hasMessageContaining("has no entry at sequence 3");
        }
    }

    @Test
    void aRepeatedSequenceIsRefused() throws SQLException {
        // given: a second entry at sequence 2, correctly linked to entry 1 (a fork)
        String org = organisationWithEntries(2);
        String first = LedgerRowsReader.chainAsSuperuser(stack, org).get(0).entryHash();

        // when / then
        try (Connection app = stack.app()) {
            assertThatThrownBy(() -> Tenants.append(app, Tenants.entry(org, 2, first)))
                    .hasMessageContaining("ledger_entries_org_sequence");
            assertThatThrownBy(() -> Tenants.append(app, Tenants.entry(org, 1, null)))
                    .hasMessageContaining("ledger_entries_org_sequence");
        }
    }

    @Test
    void aMalformedHashIsRefused() throws SQLException {
        // given
        String org = organisationWithEntries(1);
        String head = LedgerRowsReader.chainAsSuperuser(stack, org).get(0).entryHash();
        LedgerEntry good = Tenants.entry(org, 2, head);
        LedgerEntry upperCase = new LedgerEntry(good.id(), org, 2, good.type(), good.amount(), good.currency(),
                good.visibility(), good.metadata(), good.createdAt(), good.contentHash(), good.prevEntryHash(),
                good.entryHash().toUpperCase());
        LedgerEntry noPrefix = new LedgerEntry(good.id(), org, 2, good.type(), good.amount(), good.currency(),
                good.visibility(), good.metadata(), good.createdAt(), good.contentHash().substring(7),
                good.prevEntryHash(), good.entryHash());

        // when / then
        try (Connection app = stack.app()) {
            assertThatThrownBy(() -> Tenants.append(app, upperCase)).hasMessageContaining("valid_hash");
            assertThatThrownBy(() -> Tenants.append(app, noPrefix)).hasMessageContaining("valid_hash");
            Tenants.append(app, good);
        }
        assertThat(LedgerRowsReader.chainAsSuperuser(stack, org)).hasSize(2);
    }

    @Test
    void sixteenConcurrentWritersLeaveOneContiguousValidChain() throws Exception {
        // given
        String org;
        try (Connection app = stack.app()) {
            org = Tenants.createOrganisation(app);
        }
        int writers = 16;
        int appendsEach = 25;
        AtomicInteger refusals = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);

        // when: each writer reads the head and appends after it, racing the others, and retries
        // when the database refuses its append
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(pool.submit(() -> {
                try (Connection app = stack.app()) {
                    go.await();
                    int appended = 0;
                    while (appended < appendsEach) {
                        app.setAutoCommit(false);
                        try {
                            Tenants.setOrganisation(app, org);
                            long sequence = 0;
                            String prev = null;
                            try (Statement head = app.createStatement(); var rs = head.executeQuery(
                                    "SELECT sequence, entry_hash FROM ledger_entries ORDER BY sequence DESC LIMIT 1")) {
                                if (rs.next()) {
                                    sequence = rs.getLong(1);
                                    prev = rs.getString(2);
                                }
                            }
                            Tenants.insert(app, Tenants.entry(org, sequence + 1, prev));
                            app.commit();
                            appended++;
                        } catch (SQLException refused) {
                            app.rollback();
                            refusals.incrementAndGet();
                        } finally {
                            app.setAutoCommit(true);
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        // then
        List<LedgerEntry> chain = LedgerRowsReader.chainAsSuperuser(stack, org);
        ChainVerdict verdict = ChainVerifier.verify(chain);
        assertThat(chain).hasSize(writers * appendsEach);
        assertThat(verdict.valid()).as(verdict.reason()).isTrue();
        assertThat(verdict.headSequence()).isEqualTo(writers * appendsEach);
        assertThat(chain).allSatisfy(e -> assertThat(LedgerHashes.isHash(e.entryHash())).isTrue());
        // the race really happened: some appends lost it and were refused, not forked
        assertThat(refusals.get()).isPositive();
    }
}
