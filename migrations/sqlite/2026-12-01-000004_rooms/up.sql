-- Rooms, equipment, room bookings and equipment reservations.
-- A booking and its reservations carry the blocked interval (session time widened by set-up
-- and tear-down), so every clash is a plain overlap query. On SQLite, BEGIN IMMEDIATE
-- serialises bookings; PostgreSQL adds an exclusion constraint as the last guard.
CREATE TABLE rooms (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    location TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    features TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE equipment (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('projector', 'microphone', 'laptop', 'portable_booth', 'other')),
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE room_bookings (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    room_id TEXT NOT NULL REFERENCES rooms(id),
    setup_minutes INTEGER NOT NULL CHECK (setup_minutes >= 0),
    teardown_minutes INTEGER NOT NULL CHECK (teardown_minutes >= 0),
    blocked_from TIMESTAMP NOT NULL,
    blocked_to TIMESTAMP NOT NULL,
    capacity_overridden BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (blocked_from < blocked_to)
);
CREATE INDEX room_bookings_room ON room_bookings(room_id, blocked_from);
CREATE INDEX room_bookings_session ON room_bookings(session_id);

CREATE TABLE equipment_reservations (
    id TEXT PRIMARY KEY NOT NULL,
    booking_id TEXT NOT NULL REFERENCES room_bookings(id) ON DELETE CASCADE,
    equipment_id TEXT NOT NULL REFERENCES equipment(id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    blocked_from TIMESTAMP NOT NULL,
    blocked_to TIMESTAMP NOT NULL,
    UNIQUE (booking_id, equipment_id),
    CHECK (blocked_from < blocked_to)
);
CREATE INDEX equipment_reservations_item ON equipment_reservations(equipment_id, blocked_from);
