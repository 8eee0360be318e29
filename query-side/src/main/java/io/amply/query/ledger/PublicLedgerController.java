package io.amply.query.ledger;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiEnvelope;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.Replica;
import io.amply.query.web.ApiException;
import io.amply.query.web.Cursors;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;

/**
 * The public ledger of one organisation, read from the replica. Hashes of every entry are
 * always shown; content only where its visibility allows (ledger-hash-v1 §5).
 */
@RestController
@RequestMapping("/v1/public/organisations/{organisationId}/ledger")
class PublicLedgerController {

    private static final int MAX_LIMIT = 100;

    private final Replica replica;
    private final LedgerRows rows;
    private final Clock clock;

    PublicLedgerController(Replica replica, LedgerRows rows, Clock clock) {
        this.replica = replica;
        this.rows = rows;
        this.clock = clock;
    }

    @GetMapping
    ApiEnvelope<List<Object>> page(@PathVariable String organisationId,
                                   @RequestParam(defaultValue = "50") int limit,
                                   @RequestParam(required = false) String cursor,
                                   HttpServletRequest http) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        long after = cursor == null ? 0 : Cursors.decodeSequence(cursor);
        List<LedgerEntry> entries = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(LedgerRows.SELECT + " WHERE organisation_id = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                    rows, organisationId, after, limit + 1);
        });
        boolean hasMore = entries.size() > limit;
        List<LedgerEntry> page = hasMore ? entries.subList(0, limit) : entries;
        String now = LedgerTime.format(clock.instant());
        List<Object> data = page.stream().<Object>map(e -> PublicView.of(e, now)).toList();
        String next = hasMore ? Cursors.encodeSequence(page.get(page.size() - 1).sequence()) : null;
        return ApiEnvelope.list(data, hasMore, next, RequestIds.current(http)).withMeta("served_from", "replica");
    }
}
