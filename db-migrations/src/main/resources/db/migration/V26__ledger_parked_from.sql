-- Where an organisation's chain stops because its events are parked in the ledger's dead-letter
-- queue: the global index of its first parked event, or null. The query side's freshness uses it,
-- so that a read never claims a position past a parked event. A function rather than a grant: the
-- dead letters carry event payloads, which the read-only role never reads.
CREATE FUNCTION amply_ledger_parked_from(org_id text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT min(e.global_index)
      FROM dead_letter_entry d JOIN domain_event_entry e ON e.event_identifier = d.event_identifier
     WHERE d.processing_group = 'ledger' AND d.sequence_identifier = org_id
$$;
REVOKE ALL ON FUNCTION amply_ledger_parked_from(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amply_ledger_parked_from(text) TO amply_readonly, amply_app;
