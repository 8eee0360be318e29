package io.amply.command.donation;

import io.amply.command.donation.DonationController.DonationRequest;
import io.amply.command.idempotency.IdempotentCommands;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.web.ApiException;
import io.amply.command.web.Contention;
import io.amply.events.api.DatabaseUnavailable;
import io.amply.command.web.EventPositions;
import io.amply.command.web.Ids;
import io.amply.command.web.EventPositions.Published;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records the donations that arrive together in one unit of work and one database transaction.
 * A donation alone costs about ten round trips to PostgreSQL and a commit (a WAL flush, streamed
 * to the replica); donations recorded together share the commit, their events are appended in
 * one batch, and their organisation, fund and read-your-writes positions are one query each.
 * <p>
 * Donations are put in lanes by fund ({@code amply.donations.lanes}). The request that finds its
 * lane free records at once, on its own thread, whatever the lane holds (itself, alone, on a quiet
 * system); requests that arrive meanwhile wait in the lane, and when the batch is done the first
 * of them records the next batch (up to {@code amply.donations.batch-size}) for all of them. So a
 * fund's donations are recorded by one thread at a time — as its aggregate's lock allows anyway —
 * but a busy fund's donations share commits instead of queueing one by one for its lock, and no
 * request is handed to another thread unless it has to wait.
 * <p>
 * Every donation is answered as if it had been recorded alone: if anything in a batch fails
 * (a command rejected, a database error, a commit that does not happen), the whole batch is
 * rolled back, nothing of it is kept, and each fund's donations are recorded again on their own,
 * then each donation alone, with its own outcome, and always under the id it had the first time
 * (see {@link Unsettled}: a commit may have gone through unseen). Donations that gave up waiting for locks
 * ({@link Contention#waitedOut}: another transaction holds their fund's rows) are answered so at
 * once, to be sent again, instead of each waiting out the lock timeout in turn. A check that rejects a donation (an {@link ApiException}: unknown fund,
 * wrong currency, no permission, …) wrote nothing, so it answers that donation alone.
 * <p>
 * The unit of work owns the transaction: aggregate locks are released, and cached aggregates
 * become visible to other commands, only once the transaction has committed.
 */
@Component
class DonationBatcher {

    private static final Logger log = LoggerFactory.getLogger(DonationBatcher.class);

    /** One donation waiting for its outcome. */
    private static final class Item {
        final DonationRequest request;
        final Caller caller;
        final IdempotentCommands.Claim claim; // its request's Idempotency-Key, or null
        // the same in every attempt: an attempt whose commit may have gone through collides with its retry
        final String donationId = Ids.next("don_");
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        Item(DonationRequest request, Caller caller, IdempotentCommands.Claim claim) {
            this.request = request;
            this.caller = caller;
            this.claim = claim;
        }
    }

    /** A donation's answer: its view and position, or why it was not recorded. */
    private record Outcome(Map<String, Object> view, Long position, RuntimeException failure) {
    }

    /**
     * An attempt whose commit failed while its events were not (yet) to be seen: it may still be
     * committing. Its donations are recorded again under the same ids, so if it did commit, their
     * retry collides with it in the event store (PostgreSQL holds the retry's insert until the
     * attempt's outcome is known) and fails; the attempt is then answered as recorded.
     */
    private record Unsettled(List<Item> items, Map<Item, DonationIntake.Checked> sent, Map<Item, ApiException> rejected,
                             Map<Item, Map<String, Object>> views, List<Published> published, RuntimeException failure) {
    }

    private final DonationIntake intake;
    private final PlatformTransactionManager platformTransactions;
    private final EventPositions positions;
    private final int batchSize;
    private final DistributionSummary together;
    private final Counter rolledBack;
    private final Counter gaveUp;
    private final Timer attempts;
    private final Lanes<Item> lanes;

    DonationBatcher(DonationIntake intake, PlatformTransactionManager platformTransactions, EventPositions positions,
                    CommandBus commandBus, MeterRegistry meters, @Value("${amply.donations.lanes:256}") int lanes,
                    @Value("${amply.donations.batch-size:50}") int batchSize) {
        if (lanes < 1 || batchSize < 1) {
            throw new IllegalArgumentException("amply.donations.lanes and amply.donations.batch-size must be at least 1");
        }
        this.intake = intake;
        this.platformTransactions = platformTransactions;
        this.positions = positions;
        // Together only where the commands run in this thread's unit of work and transaction. Axon
        // Server's bus hands each command to a handler that commits on its own: a rolled-back batch
        // would then be recorded twice, so there each donation is its own batch.
        this.batchSize = commandBus instanceof SimpleCommandBus ? batchSize : 1;
        if (this.batchSize != batchSize) {
            log.info("{} commits each command on its own: donations are recorded one at a time",
                    commandBus.getClass().getSimpleName());
        }
        this.lanes = new Lanes<>(lanes, this.batchSize, this::process);
        this.together = DistributionSummary.builder("amply.donations.batch.size")
                .description("donations recorded in one unit of work and transaction").register(meters);
        this.attempts = Timer.builder("amply.donations.batch.duration")
                .description("one batch from its first check to its commit").register(meters);
        this.rolledBack = Counter.builder("amply.donations.batch.rolled.back")
                .description("batches rolled back and recorded again in parts: each fund's, or each donation alone").register(meters);
        this.gaveUp = Counter.builder("amply.donations.gave.up")
                .description("donations answered at once as retryable (429) because their batch waited out a lock timeout")
                .register(meters);
        Gauge.builder("amply.donations.batch.limit", this, b -> b.batchSize)
                .description("the most donations recorded together (1: each alone)").register(meters);
        Gauge.builder("amply.donations.queued", this.lanes, Lanes::waiting)
                .description("donations waiting in their lanes").register(meters);
    }

    /** Records the donation (with others that arrive meanwhile) and answers as {@code POST /v1/donations} does. */
    Map<String, Object> record(DonationRequest request, Caller caller) {
        Item item = new Item(request, caller, IdempotentCommands.current());
        lanes.run(request.fundId().hashCode(), item);
        // processed without an answer (a bug: the batch ended by something nothing caught) is a failure, not a wait forever
        item.outcome.complete(new Outcome(null, null, new IllegalStateException("the donation's batch ended without an answer")));
        Outcome outcome = item.outcome.join();
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        if (outcome.position() != null) {
            EventPositions.answerWith(outcome.position());
        }
        return outcome.view();
    }

    /** Answers every item: together if the batch commits, else each on its own. */
    private void process(List<Item> batch) {
        try {
            // this thread may record other requests' donations: each command carries its own request's key
            IdempotentCommands.forNoRequest(() -> EventPositions.runForOthers(() -> recordTogetherOrAlone(batch)));
        } catch (Throwable e) { // anything at all: every item is answered below
            if (DatabaseUnavailable.is(e)) {
                // an outage (no transaction could begin): each request is answered 503, and logged there
                log.warn("a donation batch found the database unavailable: {}", e.toString());
            } else {
                log.error("donation batch failed unexpectedly", e); // a bug, and no request may go unanswered
            }
            batch.forEach(item -> item.outcome.complete(new Outcome(null, null,
                    e instanceof RuntimeException r ? r : new IllegalStateException(e))));
        }
    }

    private void recordTogetherOrAlone(List<Item> batch) {
        List<Unsettled> unsettled = new ArrayList<>();
        List<Item> ordered = new ArrayList<>(batch);
        // one organisation after another: the row-level-security setting changes once per organisation
        ordered.sort(Comparator.comparing(item -> item.request.organisationId()));
        RuntimeException failure = attempt(ordered, unsettled);
        if (failure == null) {
            return;
        }
        Map<String, List<Item>> byFund = new LinkedHashMap<>();
        ordered.forEach(item -> byFund.computeIfAbsent(item.request.fundId(), fund -> new ArrayList<>()).add(item));
        if (byFund.size() == 1) {
            failedTogether(ordered, failure, unsettled);
            return;
        }
        // a lane holds several funds' donations: a fund whose rows another transaction holds must not fail the others
        rolledBack.increment();
        log.debug("a batch of {} donations to {} funds was rolled back; recording each fund's on its own",
                ordered.size(), byFund.size(), failure);
        for (List<Item> fund : byFund.values()) {
            List<Item> open = unanswered(fund);
            RuntimeException fundFailure = open.isEmpty() ? null : attempt(open, unsettled);
            if (fundFailure != null) {
                failedTogether(open, fundFailure, unsettled);
            }
        }
    }

    /**
     * One fund's donations failed together: each is recorded again on its own, with its own outcome,
     * unless they waited out a lock timeout (Contention: the lock is still held), which each would
     * only wait out again, one after the other, while the rest of the lane waits behind them, or were
     * refused at the commit deadline (the lane is that far behind): those are answered at once, to be
     * sent again. (A deadlock's victims are tried again, one by one.)
     */
    private void failedTogether(List<Item> failed, RuntimeException failure, List<Unsettled> unsettled) {
        settle(unsettled);
        List<Item> items = unanswered(failed);
        if (items.isEmpty()) {
            return; // an earlier attempt of theirs committed after all
        }
        // held up past the commit deadline: the lane is that far behind, and each donation on its own would be too
        boolean waitedOut = Contention.waitedOut(failure) || Contention.tooLate(failure);
        if (waitedOut) {
            gaveUp.increment(items.size());
        }
        // one donation alone is tried again only when its attempt may have committed (the retry tells), or
        // was decided on a stale copy of an aggregate (the rollback dropped it: the retry reads the stored events)
        if ((items.size() == 1 && unsettled.isEmpty() && !Contention.staleCopy(failure)) || waitedOut) {
            items.forEach(item -> item.outcome.complete(new Outcome(null, null, failureFor(item, failure, unsettled))));
            return;
        }
        rolledBack.increment();
        log.debug("a batch of {} donations was rolled back; recording each on its own", items.size(), failure);
        for (Item item : items) {
            if (item.outcome.isDone()) {
                continue;
            }
            RuntimeException alone = attempt(List.of(item), unsettled);
            if (alone != null) {
                settle(unsettled);
                item.outcome.complete(new Outcome(null, null, failureFor(item, alone, unsettled))); // unless answered just now
                if (Contention.waitedOut(alone) && !unsettled.isEmpty()) {
                    // waiting for an attempt still in doubt: the others would each wait as long, one after another
                    items.forEach(other -> other.outcome.complete(new Outcome(null, null, failureFor(other, alone, unsettled))));
                    return;
                }
            }
        }
    }

    /**
     * Why a donation is not answered as recorded: while an attempt of it may still commit (unsettled),
     * that attempt's failure, whose outcome is unknown, never a retry's "nothing was written" (a 429 for
     * a lock the retry waited out behind that very attempt).
     */
    private static RuntimeException failureFor(Item item, RuntimeException failure, List<Unsettled> unsettled) {
        return unsettled.stream().filter(attempt -> attempt.items().contains(item)).map(Unsettled::failure)
                .findFirst().orElse(failure);
    }

    private static List<Item> unanswered(List<Item> items) {
        return items.stream().filter(item -> !item.outcome.isDone()).toList();
    }

    /** Answers, as recorded, the donations of every unsettled attempt whose events are now stored. */
    private void settle(List<Unsettled> unsettled) {
        for (var it = unsettled.iterator(); it.hasNext(); ) {
            Unsettled attempt = it.next();
            Map<String, Long> stored;
            try {
                stored = positions.stored(attempt.published());
            } catch (RuntimeException e) {
                log.warn("could not tell whether a donation batch whose commit failed was recorded", e);
                continue;
            }
            if (!stored.isEmpty()) {
                log.warn("a batch of {} donations whose commit failed was recorded after all; answering it so",
                        attempt.items().size());
                answer(attempt.items(), attempt.sent(), attempt.rejected(), attempt.views(), stored);
                it.remove();
            }
        }
    }

    /**
     * Runs the items in one unit of work that owns one transaction. If it commits, answers every
     * item and returns null; otherwise answers none, leaves nothing written and returns why.
     */
    private RuntimeException attempt(List<Item> items, List<Unsettled> unsettled) {
        // forget what an earlier, rolled-back attempt published and appended: every attempt starts
        // clean, so a rolled-back index is never taken for a position
        EventPositions.takePublished();
        Map<Item, DonationIntake.Checked> sent = new HashMap<>();
        Map<Item, ApiException> rejected = new HashMap<>();
        Map<Item, Map<String, Object>> views = new HashMap<>();
        Map<List<String>, Lookups.FundOfOrganisation> targets = new HashMap<>();
        long started = System.nanoTime();
        // the transaction is ours, not only the unit of work's: whatever escapes (an Error too), it ends here
        TransactionStatus transaction = platformTransactions.getTransaction(TransactionDefinition.withDefaults());
        AtomicBoolean prepared = new AtomicBoolean();
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            unitOfWork.attachTransaction(() -> new Transaction() {
                @Override
                public void commit() {
                    platformTransactions.commit(transaction);
                }

                @Override
                public void rollback() {
                    endIfOpen(transaction); // a commit that threw has already ended it
                }
            });
            // every donation checked before any is sent: the checks pass each organisation's gate (in the
            // items' order, by organisation) before the commands take aggregate locks, which PostgreSQL
            // does not see; a gate waited for while holding a fund's lock could close a cycle only the
            // lock timeout would break
            Map<Item, DonationIntake.Checked> checks = new LinkedHashMap<>();
            for (Item item : items) {
                try {
                    checks.put(item, intake.check(item.request, item.caller, targets, item.donationId).sentFor(item.claim));
                } catch (ApiException e) {
                    rejected.put(item, e); // the checks only read: nothing of this donation was written
                }
            }
            // the Stripe payments received, claimed in one order before any command takes an aggregate lock
            checks.values().stream().filter(checked -> DonationIntake.stripePayment(checked) != null)
                    .sorted(java.util.Comparator.comparing(DonationIntake::stripePayment))
                    .forEach(intake::claimPayment); // a payment claimed already fails the attempt, as a rejection does
            checks.forEach((item, checked) -> {
                intake.send(checked); // its events wait in this unit of work; a rejection fails the attempt
                sent.put(item, checked);
            });
            // after the events are appended and their lookup rows written (this unit of work's first
            // prepare-commit handler, registered by the event bus during the first command)
            unitOfWork.onPrepareCommit(u -> {
                items.stream().filter(sent::containsKey).forEach(item -> views.put(item, intake.finish(sent.get(item))));
                prepared.set(true);
            });
            // an Error in the commit skips Axon's rollback but not its cleanup, which releases the
            // aggregate locks: the transaction ends first (cleanup runs in reverse order), so no
            // other command reads this batch's uncommitted state through a freed lock
            unitOfWork.onCleanup(u -> endIfOpen(transaction));
            unitOfWork.commit();
        } catch (RuntimeException | Error e) {
            if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() == unitOfWork) {
                unitOfWork.rollback(e);
            }
            endIfOpen(transaction);
            if (e instanceof Error error) {
                throw error;
            }
            RuntimeException failure = (RuntimeException) e;
            if (!prepared.get() || Contention.tooLate(failure)) {
                // failed before the commit, or the database refused the commit itself (too late for its
                // events to be seen, V30): nothing was written, for certain
                return failure;
            }
            // failed at the commit itself (a dropped connection, say): it may have gone through, and
            // recording the batch again would record it twice; the events tell
            List<Published> published = EventPositions.takePublished();
            Map<String, Long> stored;
            try {
                stored = positions.stored(published);
            } catch (RuntimeException unknown) {
                log.error("a batch of {} donations failed at its commit and whether it committed is unknown; "
                        + "answering each with the failure rather than recording it twice", items.size(), unknown);
                items.forEach(item -> item.outcome.complete(new Outcome(null, null, failure)));
                return null;
            }
            if (stored.isEmpty()) {
                // not to be seen, yet it may still be committing (the connection dropped first): recorded
                // again under the same ids, the donations wait for it in the event store, and tell
                unsettled.add(new Unsettled(items, sent, rejected, views, published, failure));
                return failure;
            }
            log.warn("a batch of {} donations reported a failed commit but its events are stored", items.size(), failure);
            answer(items, sent, rejected, views, stored);
            return null;
        } finally {
            endIfOpen(transaction);
        }
        together.record(items.size());
        attempts.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        answer(items, sent, rejected, views, positionsOf(EventPositions.takePublished()));
        return null;
    }

    private static void answer(List<Item> items, Map<Item, DonationIntake.Checked> sent, Map<Item, ApiException> rejected,
                               Map<Item, Map<String, Object>> views, Map<String, Long> positionOfTrace) {
        for (Item item : items) {
            ApiException rejection = rejected.get(item);
            item.outcome.complete(rejection != null ? new Outcome(null, null, rejection)
                    : new Outcome(views.get(item), positionOfTrace.get(sent.get(item).command().getIdentifier()), null));
        }
    }

    private void endIfOpen(TransactionStatus transaction) {
        if (!transaction.isCompleted()) {
            try {
                platformTransactions.rollback(transaction);
            } catch (RuntimeException e) {
                log.warn("could not roll back a donation batch's transaction", e);
            }
        }
    }

    /** Each command's position; committed already, so a failure here must not fail the donations. */
    private Map<String, Long> positionsOf(List<Published> published) {
        try {
            return positions.positions(published);
        } catch (RuntimeException e) {
            log.warn("recorded {} donations but could not read their positions", published.size(), e);
            return Map.of();
        }
    }
}
