package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A ledger entry before it has a place in the chain: everything but sequence and hashes, all
 * derived from one event, so replaying the event gives the same draft.
 *
 * @param sourceEventId       the event it comes from
 * @param sourceIndex         its position among that event's entries (a donation makes two: gross, fee)
 * @param refundsDonationId   for a refund: the donation whose {@code donation_received} entry it
 *                            points at ({@code original_entry_id}), resolved by the writer
 */
record EntryDraft(String id, String organisationId, String type, long amount, String currency, String visibility,
                  ObjectNode metadata, String createdAt, String sourceEventId, int sourceIndex,
                  String refundsDonationId) {
}
