-- What staff lists read, at any size: a page costs what the page holds, not the table.

-- The outbox list, newest first (optionally of one status), walks an index in its own order; with
-- `created_at` alone, messages of the same instant were sorted in a temporary tree (all of them).
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
-- committed side by side seldom wait for the same row.
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
           COALESCE(gender, ''), substr(id, -1), COUNT(*)
    FROM registrations
    GROUP BY session_id, stakeholder_category, country_group, attendance, status,
             COALESCE(gender, ''), substr(id, -1);
CREATE TRIGGER registration_statistics_insert AFTER INSERT ON registrations BEGIN
    INSERT INTO registration_statistics VALUES (NEW.session_id, NEW.stakeholder_category,
        NEW.country_group, NEW.attendance, NEW.status, COALESCE(NEW.gender, ''), substr(NEW.id, -1), 1)
    ON CONFLICT (session_id, stakeholder_category, country_group, attendance, status, gender, shard)
    DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER registration_statistics_delete AFTER DELETE ON registrations BEGIN
    UPDATE registration_statistics SET n = n - 1
    WHERE session_id = OLD.session_id AND stakeholder_category = OLD.stakeholder_category
      AND country_group = OLD.country_group AND attendance = OLD.attendance
      AND status = OLD.status AND gender = COALESCE(OLD.gender, '') AND shard = substr(OLD.id, -1);
END;
CREATE TRIGGER registration_statistics_update AFTER UPDATE ON registrations
    WHEN OLD.session_id IS NOT NEW.session_id OR OLD.stakeholder_category IS NOT NEW.stakeholder_category
      OR OLD.country_group IS NOT NEW.country_group OR OLD.attendance IS NOT NEW.attendance
      OR OLD.status IS NOT NEW.status OR OLD.gender IS NOT NEW.gender OR OLD.id IS NOT NEW.id
BEGIN
    UPDATE registration_statistics SET n = n - 1
    WHERE session_id = OLD.session_id AND stakeholder_category = OLD.stakeholder_category
      AND country_group = OLD.country_group AND attendance = OLD.attendance
      AND status = OLD.status AND gender = COALESCE(OLD.gender, '') AND shard = substr(OLD.id, -1);
    INSERT INTO registration_statistics VALUES (NEW.session_id, NEW.stakeholder_category,
        NEW.country_group, NEW.attendance, NEW.status, COALESCE(NEW.gender, ''), substr(NEW.id, -1), 1)
    ON CONFLICT (session_id, stakeholder_category, country_group, attendance, status, gender, shard)
    DO UPDATE SET n = n + 1;
END;
