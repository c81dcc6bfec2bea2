-- Speakers: the directory, their invitations to agenda items (slots) with travel and dispatch
-- details, and calendar holds that name the slot they are for.
-- Ids are lower-case UUID text; instants are UTC TIMESTAMP set by the application.
CREATE TABLE speakers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    -- Stored lower-cased: the same person is never created twice for one address.
    email TEXT NOT NULL,
    organisation TEXT NOT NULL,
    organisation_kind TEXT NOT NULL CHECK (organisation_kind IN ('member_state', 'sector_member', 'organisation', 'academia')),
    country TEXT NOT NULL,
    bio TEXT NOT NULL,
    -- A file under documents.dir, and its media type; none without a photo.
    photo_file TEXT,
    photo_type TEXT,
    -- False: the public speaker page shows no bio and no photo.
    public_profile BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT speakers_email_unique UNIQUE (email)
);
CREATE INDEX speakers_name ON speakers(name);

CREATE TABLE speaker_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    -- The agenda item (slot): stable across edits and versions, so no foreign key to the
    -- working copy, which may drop it before an approved version does.
    item_id TEXT NOT NULL,
    speaker_id TEXT NOT NULL REFERENCES speakers(id),
    role TEXT NOT NULL CHECK (role IN ('speaker', 'moderator')),
    status TEXT NOT NULL CHECK (status IN ('invited', 'confirmed', 'declined', 'withdrawn', 'cancelled')),
    reason TEXT,
    invited_by TEXT NOT NULL,
    invited_at TIMESTAMP NOT NULL,
    responded_at TIMESTAMP,
    reminders_sent INTEGER NOT NULL CHECK (reminders_sent >= 0),
    last_reminded_at TIMESTAMP,
    needs_travel BOOLEAN,
    funded_by TEXT CHECK (funded_by IN ('mic', 'self', 'other')),
    arrival DATE,
    departure DATE,
    visa_letter_needed BOOLEAN,
    travel_notes TEXT NOT NULL,
    travel_updated_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT speaker_invitations_once UNIQUE (item_id, speaker_id)
);
CREATE INDEX speaker_invitations_session ON speaker_invitations(session_id, item_id);
CREATE INDEX speaker_invitations_speaker ON speaker_invitations(speaker_id, status);
CREATE INDEX speaker_invitations_due ON speaker_invitations(status, reminders_sent);

-- A hold of a slot's own event (an agenda item) rather than of the session's.
ALTER TABLE calendar_holds ADD COLUMN item_id TEXT;
CREATE INDEX calendar_holds_item ON calendar_holds(item_id, active);
