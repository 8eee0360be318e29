package io.amply.query.transaction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the transactions' JSON pages answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class TransactionAnswers {

    private TransactionAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Transaction", description = "A money movement of the organisation; amount positive, in minor units")
    record Transaction(@Schema(description = "`txn_…`") String id, @Schema(description = "`org_…`") String organisationId,
                       @Schema(nullable = true, description = "`fund_…`") String fundId,
                       @Schema(allowableValues = {"incoming", "outgoing"}) String direction,
                       @Schema(allowableValues = {"donation", "matched_donation", "fee", "refund", "refund_reversed", "expense",
                               "transfer_in", "transfer_out", "correction"}) String type,
                       Long amount, String currency,
                       @Schema(allowableValues = {"pending", "completed", "failed", "partially_refunded", "refunded"})
                       String status,
                       TransactionAllocation allocation,
                       @Schema(description = "ISO-8601 instant") String createdAt,
                       @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, nullable = true,
                               description = "the text of the note `allocation.note_id` names; null once erased; present "
                                       + "only with a note") String note) {
    }

    /** TransactionsProjection.allocation: the pairs each event names, unset ones left out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "TransactionAllocation", description = "Where the money came from or went; each member present only "
            + "when the transaction's type has it and it is set")
    record TransactionAllocation(@Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "`fund_…`; absent as the transaction's own `fund_id` is null")
                                 String fundId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "donations, fees, refunds, refunds booked back") String donationId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "donations, fees, refunds, refunds booked back") String campaignId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "donations") String businessId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "fees: who kept the fee") String feeChargedBy,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "refunds") String refundId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "refunds booked back (a refund that failed): `rfr_…`") String reversalId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "refunds booked back: the provider's failure code, e.g. "
                                                 + "`expired_or_canceled_card`") String reason,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "expenses") String expenseId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "expenses") String projectId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "expenses") String category,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "expenses") String recipientType,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "expenses") String recipientReference,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "transfers") String transferId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "transfers out") String toOrganisationId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "transfers out") String toFundId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "transfers in") String fromOrganisationId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "transfers in") String fromFundId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "corrections") String correctionId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "corrections") String kind,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "corrections: the ledger entry corrected") String correctsEntryId,
                                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                         description = "refunds, expenses, transfers, corrections: `note_…`, the reason, memo "
                                                 + "or recipient's reference, erasable; its text is `note`") String noteId) {
    }
}
