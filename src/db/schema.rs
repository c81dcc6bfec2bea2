//! Tables as diesel sees them; kept by hand in step with both migration folders.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        roles -> Text,
        focal_point_country -> Nullable<Text>,
        focal_point_entity -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        session_generation -> Integer,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Text,
        kind -> Text,
        study_group -> Integer,
        question -> Text,
        title -> Text,
        venue -> Text,
        timezone -> Text,
        first_day -> Date,
        last_day -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        meeting_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        capacity -> Integer,
        remote_capacity -> Integer,
        registration_opens_at -> Nullable<Timestamp>,
        registration_closes_at -> Nullable<Timestamp>,
        remote_url -> Nullable<Text>,
        status -> Text,
        cancel_reason -> Nullable<Text>,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        approval_required -> Bool,
        reserved_seats -> Integer,
        reserved_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        record_kind -> Text,
        record_id -> Text,
        changes -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        message_id -> Text,
        to_email -> Text,
        to_name -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        calendar -> Nullable<Text>,
        calendar_method -> Nullable<Text>,
        record_kind -> Text,
        record_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        reply_to_email -> Nullable<Text>,
        reply_to_name -> Nullable<Text>,
    }
}

diesel::table! {
    secret_links (id) {
        id -> Text,
        purpose -> Text,
        record_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_holds (id) {
        id -> Text,
        event_uid -> Text,
        session_id -> Text,
        record_kind -> Text,
        record_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        lang -> Text,
        remote -> Bool,
        sequence_sent -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        item_id -> Nullable<Text>,
    }
}

diesel::joinable!(calendar_holds -> sessions (session_id));

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> meetings (meeting_id));

// Later capabilities add their own call below, naming their new tables and at most one table
// from an earlier call (a pair of tables may be allowed only once).
diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_tokens,
    meetings,
    sessions,
    audit_events,
    outbox,
    secret_links,
    calendar_holds,
);

// rooms
diesel::table! {
    rooms (id) {
        id -> Text,
        name -> Text,
        location -> Text,
        capacity -> Integer,
        features -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    equipment (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        quantity -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    room_bookings (id) {
        id -> Text,
        session_id -> Text,
        room_id -> Text,
        setup_minutes -> Integer,
        teardown_minutes -> Integer,
        blocked_from -> Timestamp,
        blocked_to -> Timestamp,
        capacity_overridden -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    equipment_reservations (id) {
        id -> Text,
        booking_id -> Text,
        equipment_id -> Text,
        quantity -> Integer,
        blocked_from -> Timestamp,
        blocked_to -> Timestamp,
    }
}

diesel::joinable!(room_bookings -> rooms (room_id));
diesel::joinable!(room_bookings -> sessions (session_id));
diesel::joinable!(equipment_reservations -> room_bookings (booking_id));
diesel::joinable!(equipment_reservations -> equipment (equipment_id));

diesel::allow_tables_to_appear_in_same_query!(
    rooms,
    equipment,
    room_bookings,
    equipment_reservations,
    sessions
);

// access
diesel::table! {
    session_rapporteurs (session_id, user_id) {
        session_id -> Text,
        user_id -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    rate_counters (bucket, key) {
        bucket -> Text,
        key -> Text,
        window_start -> Timestamp,
        count -> Integer,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(session_rapporteurs -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(session_rapporteurs, rate_counters, users);

// registrations
diesel::table! {
    countries (alpha2) {
        alpha2 -> Text,
        alpha3 -> Text,
        name -> Text,
        country_group -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        session_id -> Text,
        arrival -> Integer,
        name -> Text,
        email -> Text,
        organisation -> Text,
        job_title -> Text,
        country -> Text,
        country_group -> Text,
        stakeholder_category -> Text,
        attendance -> Text,
        status -> Text,
        consent_directory -> Bool,
        consent_share_email -> Bool,
        accessibility_needs -> Text,
        visa_letter_needed -> Bool,
        passport_name -> Nullable<Text>,
        nationality -> Nullable<Text>,
        passport_number -> Nullable<Text>,
        passport_expiry -> Nullable<Date>,
        lang -> Text,
        decided_by -> Nullable<Text>,
        decision_comment -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gender -> Nullable<Text>,
    }
}

diesel::joinable!(registrations -> sessions (session_id));

diesel::allow_tables_to_appear_in_same_query!(registrations, countries, sessions);

// registrations: reminders sent
diesel::table! {
    reminders (registration_id) {
        registration_id -> Text,
        session_id -> Text,
        sent_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(reminders, registrations);

// agendas
diesel::table! {
    agendas (session_id) {
        session_id -> Text,
        status -> Text,
        based_on_version -> Nullable<Integer>,
        comment -> Nullable<Text>,
        submitted_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> Text,
        session_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agenda_versions (session_id, number) {
        session_id -> Text,
        number -> Integer,
        approved_at -> Timestamp,
        approved_by -> Text,
        approver_name -> Text,
        comment -> Nullable<Text>,
    }
}

diesel::table! {
    agenda_version_items (session_id, version, item_id) {
        session_id -> Text,
        version -> Integer,
        item_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        speakers -> Text,
        since_version -> Integer,
    }
}

diesel::joinable!(agendas -> sessions (session_id));
diesel::joinable!(agenda_items -> agendas (session_id));
diesel::joinable!(agenda_versions -> agendas (session_id));

diesel::allow_tables_to_appear_in_same_query!(
    agendas,
    agenda_items,
    agenda_versions,
    agenda_version_items,
    sessions
);

// speakers: their tables live in schema_speakers.rs
pub use super::schema_speakers::{speaker_invitations, speakers};
diesel::joinable!(speaker_invitations -> speakers (speaker_id));
diesel::joinable!(speaker_invitations -> sessions (session_id));
diesel::allow_tables_to_appear_in_same_query!(speakers, speaker_invitations, sessions);
// workspace: a session's messages (mail::store::of_session)
diesel::allow_tables_to_appear_in_same_query!(outbox, registrations, speaker_invitations);

diesel::table! {
    /// Registrations of each session by attendance, status and country group, kept by triggers.
    registration_tallies (session_id, attendance, status, country_group) {
        session_id -> Text,
        attendance -> Text,
        status -> Text,
        country_group -> Text,
        n -> Integer,
    }
}

diesel::table! {
    /// One row: bumped by triggers whenever a table the public pages read changes (src/cache).
    public_generation (id) {
        id -> Integer,
        generation -> BigInt,
    }
}

// registration statistics: their table lives in schema_statistics.rs
pub use super::schema_statistics::registration_statistics;
