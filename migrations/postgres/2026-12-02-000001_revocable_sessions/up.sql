-- A per-account session generation: every browser session carries the value it was started
-- with, and bumping it (sign-out, password change, role change, "sign out everywhere") ends
-- every session of the account on every instance.
ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;

-- Sign-in throttling per account and address: until when the next attempt must wait.
ALTER TABLE rate_counters ADD COLUMN blocked_until TIMESTAMP;
