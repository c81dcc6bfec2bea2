//! The approval workflow: organisers submit (the session's rapporteurs are emailed) and may
//! withdraw; a rapporteur of the session approves (a new immutable version; the organisers are
//! emailed) or requests changes with a comment. Each step locks the agenda and reads its status
//! inside the transaction, so two decisions at once give exactly one.

use serde_json::json;

use crate::access::domain::{may_review_agenda, may_see_session_work, parse_roles, Role, User};
use crate::agendas::domain::{self, Agenda, AgendaEvent, AgendaStatus, Item, ItemChange};
use crate::agendas::notices::{
    self, Addressee, AgendaApproved, AgendaChangesRequested, AgendaSubmitted, SessionLine,
};
use crate::agendas::service::{locked, working_copy, WorkingCopy};
use crate::agendas::versions::domain::{SnapshotItem, Version, VersionInfo};
use crate::agendas::versions::store as vstore;
use crate::agendas::{input, store};
use crate::audit::Actor;
use crate::db::{self, Conn};
use crate::effects::Ctx;
use crate::error::AppError;
use crate::meetings::domain::Meeting;
use crate::sessions::domain::Session;

fn review_link(ctx: &Ctx, session_id: &str) -> String {
    format!(
        "{}/sessions/{session_id}/agenda/review",
        ctx.settings.base_url()
    )
}

fn agenda_link(ctx: &Ctx, session_id: &str) -> String {
    format!("{}/sessions/{session_id}/agenda", ctx.settings.base_url())
}

/// The session's rapporteurs who can decide: active accounts still holding the role.
fn reviewers(conn: &mut Conn, session_id: &str) -> Result<Vec<Addressee>, AppError> {
    Ok(
        crate::rapporteurs::store::accounts_of(conn, &session_id.into())?
            .into_iter()
            .filter(|r| r.active && parse_roles(&r.roles).contains(&Role::Rapporteur))
            .map(|r| Addressee {
                email: r.email,
                name: r.name,
            })
            .collect(),
    )
}

/// Records a step of the workflow in the audit trail.
fn record(
    conn: &mut Conn,
    user: &User,
    action: &str,
    session_id: &str,
    changes: serde_json::Value,
) -> Result<(), AppError> {
    let actor = Actor::User(user.id.clone());
    Ok(crate::audit::store::record(
        conn, &actor, action, "agenda", session_id, changes,
    )?)
}

/// Sends the working copy to the session's rapporteurs, each emailed a link to the review page.
pub fn submit(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
) -> Result<Agenda, AppError> {
    db::write(conn, |conn| {
        let (session, meeting, mut agenda) = locked(conn, session_id, ctx.now)?;
        let items = store::items_of(conn, session_id)?;
        let reviewers = reviewers(conn, session_id)?;
        agenda.status = agenda.status.submit(items.len(), reviewers.len())?;
        agenda.submitted_by = Some(user.id.clone());
        agenda.submitted_at = Some(ctx.now);
        agenda.updated_at = ctx.now;
        store::update(conn, &agenda)?;
        let changes = json!({"status": "submitted", "items": items.len()});
        record(conn, user, "agenda.submitted", session_id, changes)?;
        for to in &reviewers {
            let notice = AgendaSubmitted {
                name: to.name.clone(),
                session: SessionLine::of(&session, &meeting),
                items: items.len(),
                link: review_link(ctx, session_id),
            };
            notices::send(conn, &ctx.settings, session_id, to, &notice)?;
        }
        Ok(agenda)
    })
}

/// An organiser takes a submission back: the agenda is a draft again.
pub fn withdraw(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
) -> Result<Agenda, AppError> {
    db::write(conn, |conn| {
        let (_, _, mut agenda) = locked(conn, session_id, ctx.now)?;
        agenda.status = agenda.status.withdraw()?;
        agenda.updated_at = ctx.now;
        store::update(conn, &agenda)?;
        let changes = json!({"status": {"from": "submitted", "to": "draft"}});
        record(conn, user, "agenda.withdrawn", session_id, changes)?;
        Ok(agenda)
    })
}

/// Only a rapporteur assigned to the session decides: other staff who see the session get 403,
/// anyone else 404.
fn must_review(conn: &mut Conn, user: &User, session_id: &str) -> Result<(), AppError> {
    let rapporteurs = crate::rapporteurs::store::of_session(conn, session_id)?;
    if may_review_agenda(user, &rapporteurs) {
        Ok(())
    } else if may_see_session_work(user, &rapporteurs) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// The locked agenda of a session, for one of its rapporteurs to decide on.
fn for_decision(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
) -> Result<(Session, Meeting, Agenda), AppError> {
    crate::agendas::service::session_and_meeting(conn, session_id)?;
    must_review(conn, user, session_id)?;
    locked(conn, session_id, ctx.now)
}

fn decided(agenda: &mut Agenda, ctx: &Ctx, user: &User, comment: Option<String>) {
    agenda.comment = comment;
    agenda.decided_by = Some(user.id.clone());
    agenda.decided_at = Some(ctx.now);
    agenda.updated_at = ctx.now;
}

/// The latest approved version of a session, whole.
pub fn latest(conn: &mut Conn, session_id: &str) -> Result<Option<Version>, AppError> {
    match vstore::latest_number(conn, session_id)? {
        Some(n) => Ok(vstore::version(conn, session_id, n)?),
        None => Ok(None),
    }
}

fn next_version(previous: Option<&Version>, items: Vec<Item>, info: VersionInfo) -> Version {
    let before: &[SnapshotItem] = previous.map_or(&[], |p| &p.items);
    let since = crate::agendas::versions::domain::since_versions(before, &items, info.number);
    let items = items
        .into_iter()
        .zip(since)
        .map(|(item, since_version)| SnapshotItem {
            item,
            since_version,
        })
        .collect();
    Version { info, items }
}

/// Writes the working copy's items as the next version, whole; answers the version before too.
fn new_version(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session: &Session,
    comment: Option<String>,
) -> Result<(Option<Version>, Version), AppError> {
    let previous = latest(conn, &session.id)?;
    let info = VersionInfo {
        session_id: session.id.clone(),
        number: previous.as_ref().map_or(1, |p| p.info.number + 1),
        approved_at: ctx.now,
        approved_by: user.id.clone(),
        approver_name: user.name.clone(),
        comment,
    };
    let items = store::items_of(conn, &session.id)?;
    let items = crate::agendas::service::with_speakers(conn, &session.id, items)?;
    let version = next_version(previous.as_ref(), items, info);
    vstore::insert_version(conn, &version)?;
    Ok((previous, version))
}

/// Emails every organiser that a version was approved.
fn tell_approved(
    conn: &mut Conn,
    ctx: &Ctx,
    (session, meeting): (&Session, &Meeting),
    user: &User,
    info: &VersionInfo,
) -> Result<(), AppError> {
    for to in organisers(conn)? {
        let notice = AgendaApproved {
            name: to.name.clone(),
            session: SessionLine::of(session, meeting),
            version: info.number,
            reviewer: user.name.clone(),
            comment: info.comment.clone().unwrap_or_default(),
            link: agenda_link(ctx, &session.id),
        };
        notices::send(conn, &ctx.settings, &session.id, &to, &notice)?;
    }
    Ok(())
}

/// Approves the submission: its items become version n, kept whole; the organisers are emailed
/// and the capabilities that follow slots hear what changed.
pub fn approve(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
    comment: Option<String>,
) -> Result<VersionInfo, AppError> {
    let comment = input::comment(comment)?;
    db::write(conn, |conn| {
        let (session, meeting, mut agenda) = for_decision(conn, ctx, user, session_id)?;
        agenda.status = agenda.status.approve()?;
        let (previous, version) = new_version(conn, ctx, user, &session, comment.clone())?;
        agenda.based_on_version = Some(version.info.number);
        decided(&mut agenda, ctx, user, comment.clone());
        store::update(conn, &agenda)?;
        let changes =
            json!({"status": "approved", "version": version.info.number, "comment": comment});
        record(conn, user, "agenda.approved", session_id, changes)?;
        let old = previous.map(|p| p.plain_items()).unwrap_or_default();
        announce(
            conn,
            ctx,
            &version,
            domain::diff(&old, &version.plain_items()),
        )?;
        tell_approved(conn, ctx, (&session, &meeting), user, &version.info)?;
        Ok(version.info.clone())
    })
}

fn announce(
    conn: &mut Conn,
    ctx: &Ctx,
    version: &Version,
    changes: Vec<ItemChange>,
) -> Result<(), AppError> {
    let event = AgendaEvent::VersionApproved {
        session_id: version.info.session_id.clone(),
        version: version.info.number,
        changes,
    };
    ctx.announce(conn, &event)
}

/// Sends the submission back with a comment (required); the organisers are emailed with it.
pub fn request_changes(
    conn: &mut Conn,
    ctx: &Ctx,
    user: &User,
    session_id: &str,
    comment: Option<String>,
) -> Result<Agenda, AppError> {
    let comment = input::comment(comment)?.unwrap_or_default();
    db::write(conn, |conn| {
        let (session, meeting, mut agenda) = for_decision(conn, ctx, user, session_id)?;
        agenda.status = agenda.status.request_changes(&comment)?;
        decided(&mut agenda, ctx, user, Some(comment.clone()));
        store::update(conn, &agenda)?;
        let changes = json!({"status": "changes_requested", "comment": comment});
        record(conn, user, "agenda.changes_requested", session_id, changes)?;
        for to in organisers(conn)? {
            let notice = AgendaChangesRequested {
                name: to.name.clone(),
                session: SessionLine::of(&session, &meeting),
                reviewer: user.name.clone(),
                comment: comment.clone(),
                link: agenda_link(ctx, session_id),
            };
            notices::send(conn, &ctx.settings, session_id, &to, &notice)?;
        }
        Ok(agenda)
    })
}

/// The organisers: active accounts holding the organiser role (the MIC secretariat).
fn organisers(conn: &mut Conn) -> Result<Vec<Addressee>, AppError> {
    Ok(store::organiser_candidates(conn)?
        .into_iter()
        .filter(|(_, _, _, roles)| parse_roles(roles).contains(&Role::Organiser))
        .map(|(_, email, name, _)| Addressee { email, name })
        .collect())
}

/// What the review page shows: the working copy, the latest approved version, and the
/// differences between them.
pub struct Review {
    pub copy: WorkingCopy,
    pub latest: Option<Version>,
    pub changes: Vec<ItemChange>,
}

/// The review of a session's agenda, for its organisers and rapporteurs.
pub fn review(conn: &mut Conn, user: &User, session_id: &str) -> Result<Review, AppError> {
    let copy = working_copy(conn, user, session_id)?;
    let latest = latest(conn, session_id)?;
    let old = latest
        .as_ref()
        .map(Version::plain_items)
        .unwrap_or_default();
    let changes = domain::diff(&old, &copy.items);
    Ok(Review {
        copy,
        latest,
        changes,
    })
}

/// The sessions whose submitted agendas wait for this rapporteur's decision, by start.
pub fn waiting_for(conn: &mut Conn, user: &User) -> Result<Vec<(Session, Meeting)>, AppError> {
    if !user.has(Role::Rapporteur) {
        return Ok(Vec::new());
    }
    let mine = store::sessions_of_rapporteur(conn, &user.id)?;
    let waiting: Vec<_> = store::sessions_in(conn, AgendaStatus::Submitted)?
        .into_iter()
        .filter(|id| mine.contains(id))
        .collect();
    let sessions = crate::sessions::store::many(conn, waiting)?;
    let meeting_ids = sessions.iter().map(|s| s.meeting_id.clone()).collect();
    let meetings = crate::meetings::store::many(conn, meeting_ids)?;
    Ok(sessions
        .into_iter()
        .filter_map(|s| {
            let meeting = meetings.iter().find(|m| m.id == s.meeting_id)?.clone();
            Some((s, meeting))
        })
        .collect())
}
