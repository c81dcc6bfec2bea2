-- What staff lists read, at any size: a page costs what the page holds, not the table.

-- The outbox list, newest first (optionally of one status), walks an index in its own order; with
-- `created_at` alone, messages of the same instant were sorted after reading them all.
DROP INDEX outbox_created;
CREATE INDEX outbox_created ON outbox(created_at, id);
CREATE INDEX outbox_status_created ON outbox(status, created_at, id);

-- A page of the waiting list numbers its delegates from a count of those before it and a walk
-- over its span: both ranges of this index (the one by status and attendance first could only
-- be read whole).
CREATE INDEX registrations_waiting ON registrations(session_id, status, arrival, attendance);

-- Statistics of each session's registrations, by every axis the statistics show (stakeholder
-- category, country group, attendance, status, gender, '' when not answered): kept by triggers
-- in the same transaction as every change to `registrations`, so the statistics and a list's
-- total read a few dozen rows instead of counting every registration. `shard` (the last
-- character of the registration's id) spreads one session's rows over 16, so registrations
-- committed side by side seldom wait for the same row's lock.
CREATE TABLE registration_statistics (
    session_id TEXT NOT NULL,
    stakeholder_category TEXT NOT NULL,
    country_group TEXT NOT NULL,
    attendance TEXT NOT NULL,
    status TEXT NOT NULL,
    gender TEXT NOT NULL,
    shard TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session_id, stakeholder_category, country_group, attendance, status, gender, shard)
);
INSERT INTO registration_statistics
    SELECT session_id, stakeholder_category, country_group, attendance, status,
           COALESCE(gender, ''), right(id, 1), COUNT(*)
    FROM registrations
    GROUP BY session_id, stakeholder_category, country_group, attendance, status,
             COALESCE(gender, ''), right(id, 1);
CREATE FUNCTION registration_statistics_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE registration_statistics SET n = n - 1
    WHERE session_id = OLD.session_id AND stakeholder_category = OLD.stakeholder_category
      AND country_group = OLD.country_group AND attendance = OLD.attendance
      AND status = OLD.status AND gender = COALESCE(OLD.gender, '') AND shard = right(OLD.id, 1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO registration_statistics VALUES (NEW.session_id, NEW.stakeholder_category,
        NEW.country_group, NEW.attendance, NEW.status, COALESCE(NEW.gender, ''), right(NEW.id, 1), 1)
    ON CONFLICT (session_id, stakeholder_category, country_group, attendance, status, gender, shard)
    DO UPDATE SET n = registration_statistics.n + 1;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER registration_statistics_insert_delete AFTER INSERT OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_statistics_count();
CREATE TRIGGER registration_statistics_update AFTER UPDATE ON registrations FOR EACH ROW
    WHEN ((OLD.id, OLD.session_id, OLD.stakeholder_category, OLD.country_group, OLD.attendance,
           OLD.status, OLD.gender)
          IS DISTINCT FROM (NEW.id, NEW.session_id, NEW.stakeholder_category, NEW.country_group,
           NEW.attendance, NEW.status, NEW.gender))
    EXECUTE FUNCTION registration_statistics_count();
