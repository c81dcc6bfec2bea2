-- Agendas: one working copy per session, and every approved version kept whole.
-- Ids are lower-case UUID text; instants are UTC TIMESTAMP set by the application.
CREATE TABLE agendas (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'changes_requested')),
    based_on_version INTEGER,
    comment TEXT,
    submitted_by TEXT,
    submitted_at TIMESTAMP,
    decided_by TEXT,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX agendas_status ON agendas(status);

-- The working copy's items; an item keeps its id across edits (speakers attach to it).
CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES agendas(session_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'expert_presentation', 'stakeholder_presentation', 'discussion', 'break', 'closing')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (starts_at < ends_at),
    -- The last guard behind the agenda lock: items of one session never overlap. Deferred, so
    -- that shifting the following items in one transaction may pass through an overlap.
    CONSTRAINT agenda_items_no_overlap
        EXCLUDE USING gist (session_id WITH =, tsrange(starts_at, ends_at) WITH &&)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX agenda_items_session ON agenda_items(session_id, starts_at);

-- Approved versions: written once, never updated.
CREATE TABLE agenda_versions (
    session_id TEXT NOT NULL REFERENCES agendas(session_id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    approved_at TIMESTAMP NOT NULL,
    approved_by TEXT NOT NULL,
    approver_name TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (session_id, number)
);
CREATE INDEX agenda_versions_approved ON agenda_versions(approved_at);

-- The whole snapshot of each approved version; since_version is the version in which the
-- item last changed, which calendars use as its SEQUENCE.
CREATE TABLE agenda_version_items (
    session_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'expert_presentation', 'stakeholder_presentation', 'discussion', 'break', 'closing')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    speakers TEXT NOT NULL,
    since_version INTEGER NOT NULL,
    PRIMARY KEY (session_id, version, item_id),
    FOREIGN KEY (session_id, version) REFERENCES agenda_versions(session_id, number) ON DELETE CASCADE,
    CHECK (starts_at < ends_at)
);
