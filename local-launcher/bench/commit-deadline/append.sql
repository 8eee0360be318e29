-- One transaction appending :events events to :table, as the command side does (time_stamp from the clock).
BEGIN;
INSERT INTO :table (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type,
                    payload_revision, payload, meta_data)
SELECT gen_random_uuid()::text, gen_random_uuid()::text, 0, 'Donation',
       to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       'io.amply.events.donation.DonationReceivedEvent', '1', convert_to(repeat('x', 400), 'UTF8'), convert_to('{}', 'UTF8')
  FROM generate_series(1, :events);
COMMIT;
