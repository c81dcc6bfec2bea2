-- Delegate registrations, the countries reference table and the sessions' registration settings.

-- Registration settings of a session: approval by focal points, seats held for developing countries and LDCs.
ALTER TABLE sessions ADD COLUMN approval_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN reserved_seats INTEGER NOT NULL DEFAULT 0 CHECK (reserved_seats >= 0);
ALTER TABLE sessions ADD COLUMN reserved_until TIMESTAMP;

-- The reference list admins can update; seeded from data/reference/countries.csv (see countries.md).
CREATE TABLE countries (
    alpha2 TEXT PRIMARY KEY NOT NULL,
    alpha3 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country_group TEXT NOT NULL CHECK (country_group IN ('developed', 'developing', 'ldc')),
    updated_at TIMESTAMP NOT NULL
);

-- One delegate's registration for one session. The email is stored normalised (trimmed, lower-case),
-- so the UNIQUE constraint is the same as one on lower(email). `arrival` is the per-session order in
-- which registrations came in, assigned under the session's lock; the waiting list follows it.
CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    arrival INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL,
    job_title TEXT NOT NULL,
    country TEXT NOT NULL,
    country_group TEXT NOT NULL CHECK (country_group IN ('developed', 'developing', 'ldc')),
    stakeholder_category TEXT NOT NULL CHECK (stakeholder_category IN ('policy_maker', 'regulator', 'operator', 'manufacturer', 'other')),
    attendance TEXT NOT NULL CHECK (attendance IN ('in_person', 'remote')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected')),
    consent_directory BOOLEAN NOT NULL,
    consent_share_email BOOLEAN NOT NULL,
    accessibility_needs TEXT NOT NULL,
    visa_letter_needed BOOLEAN NOT NULL,
    passport_name TEXT,
    nationality TEXT,
    passport_number TEXT,
    passport_expiry DATE,
    lang TEXT NOT NULL,
    decided_by TEXT,
    decision_comment TEXT,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (session_id, email),
    UNIQUE (session_id, arrival)
);
CREATE INDEX registrations_session_status ON registrations(session_id, status, attendance, arrival);

-- The countries are not listed here: the service seeds the empty table from
-- data/reference/countries.csv when it migrates (countries::service::seed), so the list has
-- one source for both databases.
