//! The tables of speakers and their invitations (re-exported by `schema`).

diesel::table! {
    speakers (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        organisation -> Text,
        organisation_kind -> Text,
        country -> Text,
        bio -> Text,
        photo_file -> Nullable<Text>,
        photo_type -> Nullable<Text>,
        public_profile -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    speaker_invitations (id) {
        id -> Text,
        session_id -> Text,
        item_id -> Text,
        speaker_id -> Text,
        role -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        invited_by -> Text,
        invited_at -> Timestamp,
        responded_at -> Nullable<Timestamp>,
        reminders_sent -> Integer,
        last_reminded_at -> Nullable<Timestamp>,
        needs_travel -> Nullable<Bool>,
        funded_by -> Nullable<Text>,
        arrival -> Nullable<Date>,
        departure -> Nullable<Date>,
        visa_letter_needed -> Nullable<Bool>,
        travel_notes -> Text,
        travel_updated_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
