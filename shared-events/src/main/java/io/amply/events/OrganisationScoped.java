package io.amply.events;

/**
 * A message that belongs to one organisation. Event handlers that must keep an organisation's
 * order (the ledger, Kafka publishing) sequence by {@link #organisationId()}.
 */
public interface OrganisationScoped {

    String organisationId();
}
