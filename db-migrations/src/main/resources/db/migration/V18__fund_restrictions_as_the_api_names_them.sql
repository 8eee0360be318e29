-- Fund restrictions were stored with Java's member names (startsOn, endsOn) and unset members as
-- null; the API names them starts_on and ends_on and leaves unset ones out. Rewritten once here;
-- the command side writes them that way from now on. The owner is bound by row-level security
-- (FORCE), so it is lifted for this one statement, inside this migration's transaction.
ALTER TABLE funds NO FORCE ROW LEVEL SECURITY;

UPDATE funds
   SET restrictions = jsonb_strip_nulls(jsonb_build_object(
           'purpose', restrictions -> 'purpose',
           'geography', restrictions -> 'geography',
           'starts_on', coalesce(restrictions -> 'starts_on', restrictions -> 'startsOn'),
           'ends_on', coalesce(restrictions -> 'ends_on', restrictions -> 'endsOn')))
 WHERE restrictions ?| ARRAY['startsOn', 'endsOn']
    OR EXISTS (SELECT 1 FROM jsonb_each(restrictions) e WHERE e.value = 'null'::jsonb);

ALTER TABLE funds FORCE ROW LEVEL SECURITY;
