//! Use cases of the speakers directory: add a speaker (one per email, even under concurrent
//! requests), search, set a photo, the public speaker page; and the reminder pass of invitations.

use serde_json::json;

use super::domain::{check_photo, Photo, PhotoError, Speaker, SpeakerFields, SpeakerId};
use super::input::SpeakerInput;
use super::{photos, store};
use crate::agendas::domain::Item;
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::sessions::domain::Session;
use crate::speakers::invitations::domain::InvitationStatus;

impl From<PhotoError> for AppError {
    fn from(e: PhotoError) -> AppError {
        match e {
            PhotoError::TooLarge { .. } => AppError::PayloadTooLarge,
            PhotoError::NotAnImage => AppError::UnsupportedMediaType(e.to_string()),
            PhotoError::Empty => AppError::invalid("photo", e.to_string()),
        }
    }
}

/// Reads a speaker input, checking the country against the reference list.
pub fn read(conn: &mut Conn, input: SpeakerInput) -> Result<SpeakerFields, AppError> {
    let countries = crate::countries::store::all(conn)?;
    let known = |typed: &str| {
        countries
            .iter()
            .find(|c| c.alpha2.eq_ignore_ascii_case(typed.trim()))
            .map(|c| c.alpha2.clone())
    };
    Ok(input.read(known)?)
}

fn duplicate(existing: &Speaker) -> AppError {
    AppError::Conflict(
        format!("{} is in the directory already", existing.fields.email),
        Some(json!({"speaker_id": existing.id})),
    )
}

/// Adds a speaker; 409 (naming the existing one) when the email is in the directory already,
/// also when another request adds it at the same moment.
pub fn create(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    fields: SpeakerFields,
) -> Result<Speaker, AppError> {
    let speaker = Speaker {
        id: SpeakerId::random(),
        fields,
        photo: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let created = db::write(conn, |conn| {
        if let Some(existing) = store::find_by_email(conn, &speaker.fields.email)? {
            return Err(duplicate(&existing));
        }
        store::insert(conn, &speaker)?;
        let changes = json!({"name": speaker.fields.name, "email": speaker.fields.email});
        crate::audit::store::record(
            conn,
            actor,
            "speaker.created",
            "speaker",
            &speaker.id,
            changes,
        )?;
        Ok(speaker.clone())
    });
    match created {
        // A twin committed between our lookup and insert: the unique email refused ours.
        Err(e) if e.is_unique_violation() => {
            let existing = store::find_by_email(conn, &speaker.fields.email)?.ok_or(e)?;
            Err(duplicate(&existing))
        }
        other => other,
    }
}

/// A page of the directory, searched by name, email or organisation.
pub fn search(
    conn: &mut Conn,
    q: Option<&str>,
    (limit, offset): (i64, i64),
) -> Result<(Vec<Speaker>, i64), AppError> {
    Ok(store::search(conn, q, limit, offset)?)
}

/// One speaker.
pub fn get(conn: &mut Conn, id: &str) -> Result<Speaker, AppError> {
    store::find(conn, id)?.ok_or(AppError::NotFound)
}

/// Whether the public pages show the speaker's bio and photo (their name, organisation and
/// country are shown beside their items either way); the speaker chooses from their link.
pub fn set_listing(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
    public_profile: bool,
) -> Result<Speaker, AppError> {
    db::write(conn, |conn| {
        let mut speaker = get(conn, id)?;
        speaker.fields.public_profile = public_profile;
        speaker.updated_at = ctx.now;
        store::update(conn, &speaker)?;
        let changes = json!({ "public_profile": public_profile });
        crate::audit::store::record(conn, actor, "speaker.listing", "speaker", id, changes)?;
        Ok(speaker)
    })
}

/// Sets a speaker's photo (JPEG, PNG or WebP by its first bytes, at most `photo_max_bytes`),
/// kept under `documents.dir`; the earlier photo's file is removed.
pub fn set_photo(
    conn: &mut Conn,
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
    bytes: &[u8],
) -> Result<Speaker, AppError> {
    let (media_type, ext) = check_photo(bytes, ctx.settings.speakers.photo_max_bytes)?;
    get(conn, id)?;
    let file = photos::store(&ctx.settings, id, ext, bytes)?;
    let saved = db::write(conn, |conn| {
        let mut speaker = get(conn, id)?;
        let earlier = speaker.photo.replace(Photo {
            file: file.clone(),
            media_type: media_type.into(),
        });
        speaker.updated_at = ctx.now;
        store::update(conn, &speaker)?;
        let changes = json!({"photo": {"type": media_type, "size": bytes.len()}});
        crate::audit::store::record(conn, actor, "speaker.photo", "speaker", id, changes)?;
        Ok((speaker, earlier))
    });
    match saved {
        Ok((speaker, earlier)) => {
            if let Some(old) = earlier {
                let _ = std::fs::remove_file(photos::path(&ctx.settings, &old.file));
            }
            Ok(speaker)
        }
        Err(e) => {
            let _ = std::fs::remove_file(photos::path(&ctx.settings, &file));
            Err(e)
        }
    }
}

/// A speaker's photo and its type: for anyone when the speaker is listed with it, else 404.
pub fn photo(
    conn: &mut Conn,
    ctx: &Ctx,
    id: &str,
    staff: bool,
) -> Result<(Vec<u8>, String), AppError> {
    let speaker = get(conn, id)?;
    let photo = speaker
        .photo
        .filter(|_| staff || speaker.fields.public_profile)
        .ok_or(AppError::NotFound)?;
    let bytes =
        std::fs::read(photos::path(&ctx.settings, &photo.file)).map_err(|_| AppError::NotFound)?;
    Ok((bytes, photo.media_type))
}

/// What the public speaker page shows: the speaker and their items in the approved programmes
/// of public sessions that name them, with each session.
pub struct PublicPage {
    pub speaker: Speaker,
    pub items: Vec<(Session, crate::meetings::domain::Meeting, Item)>,
}

/// The public speaker page: 404 until an approved programme names them.
pub fn public_page(conn: &mut Conn, id: &str) -> Result<PublicPage, AppError> {
    let speaker = get(conn, id)?;
    let mut items = Vec::new();
    let mut sessions: Vec<String> = Vec::new();
    for status in [InvitationStatus::Confirmed, InvitationStatus::Withdrawn] {
        for i in crate::speakers::invitations::store::of_speaker(conn, id, status)? {
            if !sessions.contains(&i.session_id.to_string()) {
                sessions.push(i.session_id.to_string());
            }
        }
    }
    for session_id in sessions {
        let Some((_, version)) = crate::agendas::service::approved_items(conn, &session_id)? else {
            continue;
        };
        let (session, meeting) = crate::agendas::service::session_and_meeting(conn, &session_id)?;
        if !session.is_public() {
            continue;
        }
        for s in version
            .into_iter()
            .filter(|s| s.item.speakers.iter().any(|p| p.speaker_id == id))
        {
            items.push((session.clone(), meeting.clone(), s.item));
        }
    }
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    items.sort_by_key(|(_, _, i)| i.starts_at);
    Ok(PublicPage { speaker, items })
}

/// One reminder pass over unanswered invitations (`seminars remind`, and the server's
/// schedule): answers how many reminders it sent. Safe to run on several instances at once.
pub fn remind(conn: &mut Conn, ctx: &Ctx) -> Result<usize, AppError> {
    crate::speakers::invitations::reminders::remind(conn, ctx)
}
