-- Accounts, API tokens, meetings, sessions and the audit trail.
-- Ids are lower-case UUID text; instants are UTC TIMESTAMP set by the application.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    roles TEXT NOT NULL,
    focal_point_country TEXT,
    focal_point_entity TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('study_group', 'rapporteur_group')),
    study_group INTEGER NOT NULL,
    question TEXT NOT NULL,
    title TEXT NOT NULL,
    venue TEXT NOT NULL,
    timezone TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (first_day <= last_day)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    kind TEXT NOT NULL CHECK (kind IN ('adhoc_session', 'seminar', 'workshop')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    remote_capacity INTEGER NOT NULL CHECK (remote_capacity >= 0),
    registration_opens_at TIMESTAMP,
    registration_closes_at TIMESTAMP,
    remote_url TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'cancelled')),
    cancel_reason TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX sessions_meeting ON sessions(meeting_id, starts_at);
CREATE INDEX sessions_starts ON sessions(starts_at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_events_record ON audit_events(record_kind, record_id, at);
CREATE INDEX audit_events_at ON audit_events(at);
