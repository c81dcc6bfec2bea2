//! The counts the statistics read, kept by triggers (re-exported by `schema`).

diesel::table! {
    /// Counts of each session's registrations by every axis of the statistics, kept by triggers
    /// (gender '' when not answered; `shard` spreads a session's rows, sum over it).
    registration_statistics (session_id, stakeholder_category, country_group, attendance, status, gender, shard) {
        session_id -> Text,
        stakeholder_category -> Text,
        country_group -> Text,
        attendance -> Text,
        status -> Text,
        gender -> Text,
        shard -> Text,
        n -> Integer,
    }
}
