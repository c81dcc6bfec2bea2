//! Queries on speakers' invitations, the lock that serialises one speaker's confirmations, and
//! the conditional UPDATE that lets exactly one worker send a reminder.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::domain::{Funding, Invitation, InvitationId, InvitationStatus, SlotRole, Travel};
use crate::db::schema::{sessions, speaker_invitations as inv};
use crate::db::{micros, Conn};
use crate::sessions::domain::SessionId;
use crate::speakers::domain::SpeakerId;
use crate::wire::TextValue;

crate::text_column!(InvitationId);
crate::text_column!(SlotRole);
crate::text_column!(InvitationStatus);

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// An invitation as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = inv)]
struct Row {
    id: InvitationId,
    session_id: SessionId,
    item_id: String,
    speaker_id: SpeakerId,
    role: SlotRole,
    status: InvitationStatus,
    reason: Option<String>,
    invited_by: String,
    invited_at: NaiveDateTime,
    responded_at: Option<NaiveDateTime>,
    reminders_sent: i32,
    last_reminded_at: Option<NaiveDateTime>,
    needs_travel: Option<bool>,
    funded_by: Option<String>,
    arrival: Option<NaiveDate>,
    departure: Option<NaiveDate>,
    visa_letter_needed: Option<bool>,
    travel_notes: String,
    travel_updated_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self) -> Invitation {
        Invitation {
            id: self.id,
            session_id: self.session_id,
            item_id: self.item_id,
            speaker_id: self.speaker_id,
            role: self.role,
            status: self.status,
            reason: self.reason,
            invited_by: self.invited_by,
            invited_at: utc(self.invited_at),
            responded_at: self.responded_at.map(utc),
            reminders_sent: self.reminders_sent,
            last_reminded_at: self.last_reminded_at.map(utc),
            travel: Travel {
                needs_travel: self.needs_travel,
                funded_by: self.funded_by.as_deref().and_then(Funding::from_text),
                arrival: self.arrival,
                departure: self.departure,
                visa_letter_needed: self.visa_letter_needed,
                notes: self.travel_notes,
                updated_at: self.travel_updated_at.map(utc),
            },
            updated_at: utc(self.updated_at),
        }
    }

    fn of(i: &Invitation) -> Row {
        let t = &i.travel;
        Row {
            id: i.id.clone(),
            session_id: i.session_id.clone(),
            item_id: i.item_id.clone(),
            speaker_id: i.speaker_id.clone(),
            role: i.role,
            status: i.status,
            reason: i.reason.clone(),
            invited_by: i.invited_by.clone(),
            invited_at: micros(i.invited_at),
            responded_at: i.responded_at.map(micros),
            reminders_sent: i.reminders_sent,
            last_reminded_at: i.last_reminded_at.map(micros),
            needs_travel: t.needs_travel,
            funded_by: t.funded_by.map(|f| f.as_text().to_string()),
            arrival: t.arrival,
            departure: t.departure,
            visa_letter_needed: t.visa_letter_needed,
            travel_notes: t.notes.clone(),
            travel_updated_at: t.updated_at.map(micros),
            created_at: micros(i.invited_at),
            updated_at: micros(i.updated_at),
        }
    }
}

fn all(rows: Vec<Row>) -> Vec<Invitation> {
    rows.into_iter().map(Row::into_domain).collect()
}

/// Inserts a new invitation; a second one of the same speaker to the same slot is refused.
pub fn insert(conn: &mut Conn, invitation: &Invitation) -> QueryResult<()> {
    diesel::insert_into(inv::table)
        .values(&Row::of(invitation))
        .execute(conn)
        .map(|_| ())
}

/// Writes an invitation's status, answer, reminders and travel details.
pub fn update(conn: &mut Conn, i: &Invitation) -> QueryResult<()> {
    let row = Row::of(i);
    diesel::update(inv::table.find(&i.id))
        .set((
            inv::role.eq(row.role),
            inv::status.eq(row.status),
            inv::reason.eq(row.reason),
            inv::responded_at.eq(row.responded_at),
            inv::needs_travel.eq(row.needs_travel),
            inv::funded_by.eq(row.funded_by),
            inv::arrival.eq(row.arrival),
            inv::departure.eq(row.departure),
            inv::visa_letter_needed.eq(row.visa_letter_needed),
            inv::travel_notes.eq(row.travel_notes),
            inv::travel_updated_at.eq(row.travel_updated_at),
            inv::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One invitation by id.
pub fn find(conn: &mut Conn, id: &str) -> QueryResult<Option<Invitation>> {
    inv::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Row::into_domain))
}

/// The invitation of a speaker to a slot, if any.
pub fn of_slot_and_speaker(
    conn: &mut Conn,
    item_id: &str,
    speaker_id: &str,
) -> QueryResult<Option<Invitation>> {
    inv::table
        .filter(inv::item_id.eq(item_id))
        .filter(inv::speaker_id.eq(speaker_id))
        .select(Row::as_select())
        .first(conn)
        .optional()
        .map(|r| r.map(Row::into_domain))
}

/// Every invitation to a session's slots, oldest first.
pub fn of_session(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Invitation>> {
    Ok(all(inv::table
        .filter(inv::session_id.eq(session_id))
        .order((inv::invited_at.asc(), inv::id.asc()))
        .select(Row::as_select())
        .load(conn)?))
}

/// Every invitation to the slots of a meeting's sessions, oldest first.
pub fn of_meeting(conn: &mut Conn, meeting_id: &str) -> QueryResult<Vec<Invitation>> {
    Ok(all(inv::table
        .inner_join(sessions::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .order((inv::invited_at.asc(), inv::id.asc()))
        .select(Row::as_select())
        .load(conn)?))
}

/// Every invitation to one slot.
pub fn of_item(conn: &mut Conn, item_id: &str) -> QueryResult<Vec<Invitation>> {
    Ok(all(inv::table
        .filter(inv::item_id.eq(item_id))
        .order((inv::invited_at.asc(), inv::id.asc()))
        .select(Row::as_select())
        .load(conn)?))
}

/// A speaker's invitations in one status, in any session.
pub fn of_speaker(
    conn: &mut Conn,
    speaker_id: &str,
    status: InvitationStatus,
) -> QueryResult<Vec<Invitation>> {
    Ok(all(inv::table
        .filter(inv::speaker_id.eq(speaker_id))
        .filter(inv::status.eq(status))
        .order((inv::invited_at.asc(), inv::id.asc()))
        .select(Row::as_select())
        .load(conn)?))
}

/// The open invitations that may owe a reminder (fewer than two sent), oldest first.
pub fn open_for_reminders(conn: &mut Conn) -> QueryResult<Vec<Invitation>> {
    Ok(all(inv::table
        .filter(inv::status.eq(InvitationStatus::Invited))
        .filter(inv::reminders_sent.lt(2))
        .order((inv::invited_at.asc(), inv::id.asc()))
        .select(Row::as_select())
        .load(conn)?))
}

/// Counts reminder `number` as sent, only if it is still owed: a conditional UPDATE that one
/// worker wins (1) and any other racing it loses (0), on both backends.
pub fn claim_reminder(
    conn: &mut Conn,
    id: &InvitationId,
    number: i32,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        inv::table
            .find(id)
            .filter(inv::status.eq(InvitationStatus::Invited))
            .filter(inv::reminders_sent.eq(number - 1)),
    )
    .set((
        inv::reminders_sent.eq(number),
        inv::last_reminded_at.eq(Some(micros(now))),
    ))
    .execute(conn)
}

/// A stable advisory-lock key, the same in every process.
fn lock_key(speaker_id: &str) -> i64 {
    let digest = Sha256::digest(format!("speaker:{speaker_id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Serialises one speaker's confirmations until the transaction ends, so two confirmations of
/// overlapping slots racing each other see each other: one wins. On PostgreSQL an advisory lock
/// per speaker; on SQLite `db::write` holds the write lock from `BEGIN IMMEDIATE` already.
pub fn lock_speaker(conn: &mut Conn, speaker_id: &str) -> QueryResult<()> {
    match conn {
        Conn::Postgres(pg) => diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(lock_key(speaker_id))
            .execute(pg)
            .map(|_| ()),
        Conn::Sqlite(_) => Ok(()),
    }
}

/// Who is confirmed in a session's slots: (item, role, speaker, name, organisation, country),
/// by slot and then by name.
pub type Confirmed = (String, SlotRole, SpeakerId, String, String, String);

/// The confirmed speakers of a session's slots, in one query.
pub fn confirmed_people(conn: &mut Conn, session_id: &str) -> QueryResult<Vec<Confirmed>> {
    use crate::db::schema::speakers;
    inv::table
        .inner_join(speakers::table)
        .filter(inv::session_id.eq(session_id))
        .filter(inv::status.eq(InvitationStatus::Confirmed))
        .order((inv::item_id.asc(), inv::role.desc(), speakers::name.asc()))
        .select((
            inv::item_id,
            inv::role,
            inv::speaker_id,
            speakers::name,
            speakers::organisation,
            speakers::country,
        ))
        .load(conn)
}
