ALTER TABLE rate_counters DROP COLUMN blocked_until;
ALTER TABLE users DROP COLUMN session_generation;
