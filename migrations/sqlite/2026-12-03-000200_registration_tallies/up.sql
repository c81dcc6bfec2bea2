-- How many registrations each session holds, by attendance mode, status and country group: kept
-- by triggers in the same transaction as every change to `registrations`, so a registration
-- reads the seats taken and its waiting position from one small row per group instead of
-- counting rows (which grew with the waiting list: 50,000 delegates waiting made every new one
-- count them).
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
CREATE TRIGGER registration_tallies_insert AFTER INSERT ON registrations BEGIN
    INSERT INTO registration_tallies (session_id, attendance, status, country_group, n)
        VALUES (NEW.session_id, NEW.attendance, NEW.status, NEW.country_group, 1)
        ON CONFLICT (session_id, attendance, status, country_group) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER registration_tallies_delete AFTER DELETE ON registrations BEGIN
    UPDATE registration_tallies SET n = n - 1
        WHERE session_id = OLD.session_id AND attendance = OLD.attendance
          AND status = OLD.status AND country_group = OLD.country_group;
END;
CREATE TRIGGER registration_tallies_update AFTER UPDATE ON registrations
    WHEN OLD.session_id IS NOT NEW.session_id OR OLD.attendance IS NOT NEW.attendance
      OR OLD.status IS NOT NEW.status OR OLD.country_group IS NOT NEW.country_group
BEGIN
    UPDATE registration_tallies SET n = n - 1
        WHERE session_id = OLD.session_id AND attendance = OLD.attendance
          AND status = OLD.status AND country_group = OLD.country_group;
    INSERT INTO registration_tallies (session_id, attendance, status, country_group, n)
        VALUES (NEW.session_id, NEW.attendance, NEW.status, NEW.country_group, 1)
        ON CONFLICT (session_id, attendance, status, country_group) DO UPDATE SET n = n + 1;
END;
