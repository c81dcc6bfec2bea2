//! `seminars demo`: a realistic example so a newcomer sees a living system at the first start.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::access::Role;
use crate::app;
use crate::audit::Actor;
use crate::config::Settings;
use crate::db::{self, Conn};
use crate::error::AppError;
use crate::input::Field;
use crate::meetings::domain::{Meeting, MeetingInput};
use crate::security;
use crate::sessions::domain::{Session, SessionStatus};
use crate::sessions::input::SessionInput;

const SG1_TITLE: &str = "ITU-D Study Group 1 meeting";
const RG_TITLE: &str = "Rapporteur Group meeting, Question 22-1/1";
const SESSION_TITLE: &str = "Sharing best practices in building cybersecurity capacity";
const SESSION_TEXT: &str = "An ad-hoc session held along with the Study Group 1 meeting, prepared by the Ministry of Internal Affairs and Communications of Japan with the Rapporteur and Vice-Rapporteurs for Question 22-1/1.\n\nExperts share national experience with CIRT set-up, awareness campaigns and public-private information sharing; policy-makers and regulators from developing countries and LDCs are especially welcome.";

/// Loads the example into the configured database and says what it created.
pub fn load(settings: &Settings) -> Result<String, String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    let mut report = Vec::new();
    for (email, name, role) in [
        (
            "organiser@seminars.example",
            "Aiko Tanaka (MIC Japan)",
            Role::Organiser,
        ),
        (
            "rapporteur@seminars.example",
            "Rapporteur for Question 22-1/1",
            Role::Rapporteur,
        ),
    ] {
        report.push(account(&mut conn, settings, email, name, role)?);
    }
    let first_monday = next_monday(Utc::now().date_naive() + Duration::weeks(4));
    let rg = meeting(
        &mut conn,
        settings,
        "rapporteur_group",
        RG_TITLE,
        first_monday - Duration::days(7),
        2,
    )?;
    let sg1 = meeting(
        &mut conn,
        settings,
        "study_group",
        SG1_TITLE,
        first_monday,
        5,
    )?;
    report.push(format!(
        "meetings: {} ({} – {}), {} ({} – {})",
        rg.title, rg.first_day, rg.last_day, sg1.title, sg1.first_day, sg1.last_day
    ));
    let session = adhoc_session(&mut conn, settings, &sg1).map_err(|e| e.one_line())?;
    report.push(format!(
        "session: {SESSION_TITLE} — {}/sessions/{}",
        settings.base_url(),
        session.id
    ));
    let furnished = super::demo_programme::furnish(&mut conn, settings, &session, &sg1)
        .map_err(|e| e.one_line())?;
    report.extend(furnished);
    Ok(report.join("\n"))
}

fn next_monday(from: NaiveDate) -> NaiveDate {
    let ahead = (7 - from.weekday().num_days_from_monday()) % 7;
    let monday = from + Duration::days(i64::from(ahead));
    debug_assert_eq!(monday.weekday(), Weekday::Mon);
    monday
}

fn account(
    conn: &mut Conn,
    settings: &Settings,
    email: &str,
    name: &str,
    role: Role,
) -> Result<String, String> {
    if crate::accounts::store::find_by_email(conn, email)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(format!(
            "account {email} exists already (password unchanged)"
        ));
    }
    let password = security::secrets::new_token()[..20].to_string();
    let new = crate::accounts::service::NewUser {
        email: email.into(),
        name: name.into(),
        roles: BTreeSet::from([role]),
        password: Some(password.clone()),
        scope: None,
    };
    crate::accounts::service::add_user(conn, &settings.auth, &Actor::Cli, new)
        .map_err(|e| e.one_line())?;
    Ok(format!(
        "account {email} ({}) password: {password}   <- shown once",
        role.as_str()
    ))
}

fn meeting(
    conn: &mut Conn,
    settings: &Settings,
    kind: &str,
    title: &str,
    first_day: NaiveDate,
    days: i64,
) -> Result<Meeting, String> {
    if let Some(existing) =
        crate::meetings::store::find_by_title(conn, title, first_day).map_err(|e| e.to_string())?
    {
        return Ok(existing);
    }
    let input = MeetingInput {
        kind: Field::Value(kind.into()),
        study_group: Field::Value(1),
        question: Field::Value("22-1/1".into()),
        title: Field::Value(title.into()),
        venue: Field::Value("ITU headquarters, Geneva".into()),
        timezone: Field::Value("Europe/Zurich".into()),
        first_day: Field::Value(first_day),
        last_day: Field::Value(first_day + Duration::days(days - 1)),
    };
    crate::meetings::service::create(conn, &app::ctx(settings), &Actor::Cli, input)
        .map_err(|e| e.one_line())
}

fn adhoc_session(conn: &mut Conn, settings: &Settings, sg1: &Meeting) -> Result<Session, AppError> {
    if let Some(existing) = crate::sessions::store::find_by_title(conn, &sg1.id, SESSION_TITLE)? {
        return Ok(existing);
    }
    let tz: Tz = sg1.timezone;
    let day = sg1.first_day + Duration::days(1);
    let local = |h: u32, m: u32| {
        tz.from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.fixed_offset())
    };
    let (Some(starts), Some(ends)) = (local(14, 30), local(17, 30)) else {
        return Err(AppError::Internal("no such local time".into()));
    };
    let input = SessionInput {
        meeting_id: Field::Value(sg1.id.to_string()),
        kind: Field::Value("adhoc_session".into()),
        title: Field::Value(SESSION_TITLE.into()),
        description: Field::Value(SESSION_TEXT.into()),
        starts_at: Field::Value(starts),
        ends_at: Field::Value(ends),
        capacity: Field::Value(60),
        remote_capacity: Field::Value(150),
        remote_url: Field::Value("https://meet.example.org/itu-d-q22-1-1".into()),
        ..SessionInput::default()
    };
    let session = crate::sessions::service::create(conn, &app::ctx(settings), &Actor::Cli, input)?;
    let session =
        crate::sessions::service::publish(conn, &app::ctx(settings), &Actor::Cli, &session.id)?;
    debug_assert_eq!(session.status, SessionStatus::Scheduled);
    Ok(session)
}
