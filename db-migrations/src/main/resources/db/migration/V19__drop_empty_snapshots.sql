-- Snapshots written until now are empty: Axon's Jackson serializer saw no getters on the Fund and
-- Organisation aggregates and wrote {}, so an aggregate restored from one had no identifier and
-- every command on it failed once it was out of the cache (after a restart, say). The aggregates
-- now expose their fields to it (SnapshotsIT). Snapshots only shortcut replaying an aggregate's
-- events, so the broken ones go: each aggregate replays its events and is snapshotted afresh.
DELETE FROM snapshot_event_entry;
