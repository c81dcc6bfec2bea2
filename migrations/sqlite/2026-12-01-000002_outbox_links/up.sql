-- Every email, written in the transaction of the change that causes it, and delivered by the worker.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    to_email TEXT NOT NULL,
    to_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    calendar TEXT,
    calendar_method TEXT,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    claimed_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_record ON outbox(record_kind, record_id);
CREATE INDEX outbox_created ON outbox(created_at);

-- Secret links for people without accounts (speakers, delegates) and for account set-up and resets.
-- Only the SHA-256 of each token is kept.
CREATE TABLE secret_links (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    record_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX secret_links_record ON secret_links(purpose, record_id);

-- Who holds a calendar invitation for which event, so every change reaches them all.
CREATE TABLE calendar_holds (
    id TEXT PRIMARY KEY NOT NULL,
    event_uid TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    lang TEXT NOT NULL,
    remote BOOLEAN NOT NULL,
    sequence_sent INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (event_uid, record_kind, record_id)
);
CREATE INDEX calendar_holds_session ON calendar_holds(session_id, active);
