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

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> meetings (meeting_id));

diesel::allow_tables_to_appear_in_same_query!(users, api_tokens, meetings, sessions, audit_events);
