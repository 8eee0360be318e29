package io.amply.query.verify;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.Replica;
import io.amply.query.ledger.LedgerRows;
import io.amply.query.ledger.PublicView;
import io.amply.query.security.Owners;
import io.amply.query.security.Readers;
import io.amply.query.web.ChainReads;
import io.amply.query.web.FileNames;
import io.amply.query.web.RequestIds;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/** Anyone may check an organisation's chain here, or download it to check it elsewhere. */
@RestController
class PublicVerificationController {

    private final LedgerVerification verification;
    private final Replica replica;
    private final LedgerRows rows;
    private final ObjectMapper json;
    private final Clock clock;
    private final Readers readers;
    private final ChainReads chainReads;
    private final Owners owners;

    PublicVerificationController(LedgerVerification verification, Replica replica, LedgerRows rows, ObjectMapper json,
                                 Clock clock, Readers readers, ChainReads chainReads, Owners owners) {
        this.owners = owners;
        this.readers = readers;
        this.chainReads = chainReads;
        this.verification = verification;
        this.replica = replica;
        this.rows = rows;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/v1/public/organisations/{organisationId}/ledger/verify")
    @ApiData(VerifyAnswers.Verification.class)
    ApiEnvelope<Map<String, Object>> verify(@PathVariable String organisationId, HttpServletRequest http) {
        // an organisation that does not exist has no chain to call valid
        owners.requireOrganisation(organisationId);
        return ApiEnvelope.of(chainReads.run(http, () -> verification.verify(organisationId)), RequestIds.current(http));
    }

    /**
     * The public export (ledger-hash-v1 §6): JSON Lines in sequence order, every entry's hashes,
     * content only where its visibility allows. Streamed from the replica.
     */
    // no "produces": an export is JSON Lines whatever the client accepts (a mismatch was a server error)
    @GetMapping("/v1/public/organisations/{organisationId}/ledger/export")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String organisationId, HttpServletRequest http) {
        owners.requireOrganisation(organisationId);
        String now = LedgerTime.format(clock.instant());
        StreamingResponseBody body = within(http, out -> write(out, organisationId, now));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header("Content-Disposition", "attachment; filename=\"" + FileNames.safe(organisationId) + "-ledger.jsonl\"")
                .body(body);
    }

    /**
     * The full export for the organisation's finance roles and auditors: every entry with its
     * content, whatever its visibility (ledger-hash-v1 §6). Authenticated with an API key.
     */
    @GetMapping("/v1/organisations/{organisationId}/ledger/export")
    ResponseEntity<StreamingResponseBody> fullExport(@PathVariable String organisationId, HttpServletRequest http) {
        readers.require(http, organisationId, Readers.FULL_LEDGER);
        owners.requireOrganisation(organisationId);
        StreamingResponseBody body = within(http, out -> write(out, organisationId, null));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header("Content-Disposition", "attachment; filename=\"" + FileNames.safe(organisationId) + "-ledger-full.jsonl\"")
                .header("Cache-Control", "no-store")
                .body(body);
    }

    /**
     * {@code body} within the cap on whole-chain reads, from now until it has streamed, failed, or
     * never run at all (an asynchronous request that timed out or failed before its body started):
     * the place is given back once, by whichever comes first.
     */
    private StreamingResponseBody within(HttpServletRequest http, StreamingResponseBody body) {
        Runnable release = chainReads.acquire(http);
        WebAsyncUtils.getAsyncManager(http).registerCallableInterceptor(ChainReads.class, new CallableProcessingInterceptor() {
            @Override
            public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
                release.run();
            }
        });
        return out -> {
            try {
                body.writeTo(out);
            } finally {
                release.run();
            }
        };
    }

    /** Streams the chain; {@code now} null means every entry with its content (the full export). */
    private void write(OutputStream raw, String organisationId, String now) {
        JdbcTemplate streaming = new JdbcTemplate(replica.jdbc().getDataSource());
        streaming.setFetchSize(5_000);
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        replica.transactions().executeWithoutResult(status -> {
            replica.withoutStatementTimeout();
            streaming.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            streaming.query(LedgerRows.wholeChain(organisationId), (RowCallbackHandler) rs -> {
                try {
                    var entry = rows.mapRow(rs, 0);
                    out.write(json.writeValueAsBytes(now == null ? entry.toJson(true) : PublicView.of(entry, now)));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
