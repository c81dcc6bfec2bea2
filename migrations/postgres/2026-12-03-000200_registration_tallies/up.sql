-- How many registrations each session holds, by attendance mode, status and country group: kept
-- by triggers in the same transaction as every change to `registrations`, so a registration
-- reads the seats taken and its waiting position from one small row per group instead of
-- counting rows (which grew with the waiting list: 50,000 delegates waiting made every new one
-- count them). Writers of a session's registrations hold the session's row lock first, so the
-- tally rows are only ever locked in that order.
CREATE TABLE registration_tallies (
    session_id TEXT NOT NULL,
    attendance TEXT NOT NULL,
    status TEXT NOT NULL,
    country_group TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session_id, attendance, status, country_group)
);
INSERT INTO registration_tallies (session_id, attendance, status, country_group, n)
    SELECT session_id, attendance, status, country_group, COUNT(*) FROM registrations
    GROUP BY session_id, attendance, status, country_group;
CREATE FUNCTION tally_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE registration_tallies SET n = n - 1
      WHERE session_id = OLD.session_id AND attendance = OLD.attendance
        AND status = OLD.status AND country_group = OLD.country_group;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO registration_tallies (session_id, attendance, status, country_group, n)
      VALUES (NEW.session_id, NEW.attendance, NEW.status, NEW.country_group, 1)
      ON CONFLICT (session_id, attendance, status, country_group)
      DO UPDATE SET n = registration_tallies.n + 1;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER registration_tallies_insert_delete AFTER INSERT OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION tally_registrations();
CREATE TRIGGER registration_tallies_update AFTER UPDATE ON registrations FOR EACH ROW
    WHEN ((OLD.session_id, OLD.attendance, OLD.status, OLD.country_group)
          IS DISTINCT FROM (NEW.session_id, NEW.attendance, NEW.status, NEW.country_group))
    EXECUTE FUNCTION tally_registrations();
