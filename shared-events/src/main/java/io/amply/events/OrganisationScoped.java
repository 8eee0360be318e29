package io.amply.events;

/**
 * A message that belongs to one organisation. Event handlers that must keep an organisation's
 * order (the ledger, Kafka publishing) sequence by {@link #organisationId()}, which the command side
 * also writes into every such event's metadata as {@link #META_DATA_KEY}: the processors read it there,
 * so an event whose payload cannot be read any more is still told apart by its organisation.
 */
public interface OrganisationScoped {

    /** The metadata entry holding the organisation of an organisation's event (since 2026-11-29). */
    String META_DATA_KEY = "organisationId";

    String organisationId();
}
