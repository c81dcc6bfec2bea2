-- One row per reminder sent: the claim is written in the same transaction as the email is queued,
-- and the primary key refuses a second, so no delegate is reminded twice, whatever the instances.
CREATE TABLE reminders (
    registration_id TEXT PRIMARY KEY NOT NULL REFERENCES registrations(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    sent_at TIMESTAMP NOT NULL
);
