//! Delivery throughput: queues N invitations in a temporary SQLite outbox and measures how many
//! per second the worker's passes hand to an SMTP server on 127.0.0.1 (and to the file transport).
//!
//! Run: `cargo bench --bench mail_throughput -- 2000` (N defaults to 2000).

#[path = "../tests/api/support/smtp.rs"]
mod smtp;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use seminars::calendar::{self, Event, Person, Role};
use seminars::config::{MailTransport, Settings};
use seminars::db;
use seminars::holds::notices::{SessionInvitation, SessionSummary};
use seminars::mail::notice::render;
use seminars::mail::outbox::{enqueue, Email, RecordKind};
use seminars::mail::worker::Worker;
use seminars::web::Lang;

/// A realistic invitation: a seminar with a paragraph of description and a named attendee.
fn invitation(settings: &Settings, n: usize) -> Email {
    let starts_at = "2026-03-10T13:30:00Z".parse().expect("instant");
    let ends_at = "2026-03-10T16:30:00Z".parse().expect("instant");
    let url = format!(
        "{}/sessions/4f1c2a9e-7b1d-4c55-9a43-0d3b9f6f1e20",
        settings.base_url()
    );
    let event = Event {
        uid: "session-4f1c2a9e-7b1d-4c55-9a43-0d3b9f6f1e20@127.0.0.1".into(),
        sequence: 0,
        summary: "Sharing cybersecurity best practices: national CIRTs, Question 22-1/1".into(),
        description: format!("Experts from three regions present national CIRT frameworks, incident response and capacity building for developing countries and LDCs; questions and discussion follow.\n\n{url}"),
        location: "ITU headquarters, Geneva — Room H".into(),
        url: url.clone(),
        starts_at,
        ends_at,
        stamp: Utc::now(),
    };
    let attendee = Person {
        name: format!("Delegate Number {n}"),
        email: format!("delegate{n}@example.org"),
    };
    let organizer = seminars::holds::service::organizer(settings);
    let ics = calendar::request(&event, &organizer, &attendee, Role::ReqParticipant);
    let notice = SessionInvitation {
        name: attendee.name.clone(),
        link: Some(format!(
            "{}/registrations/{}",
            settings.base_url(),
            "ab".repeat(32)
        )),
        session: SessionSummary {
            title: event.summary.clone(),
            when: "Tue 2026-03-10 14:30–17:30".into(),
            timezone: "Europe/Zurich",
            location: event.location.clone(),
            url,
        },
    };
    let mail = render(settings, Lang("en"), &notice).expect("templates render");
    Email {
        to_email: attendee.email,
        to_name: attendee.name,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        calendar: Some((ics, calendar::Method::Request)),
        record_kind: RecordKind::CALENDAR_HOLD,
        record_id: n.to_string(),
        reply_to: None,
    }
}

fn queue(pool: &db::Pool, settings: &Settings, n: usize) {
    let mut conn = pool.get().expect("connection");
    db::write(&mut conn, |conn| {
        for i in 0..n {
            enqueue(conn, &settings.public_host(), invitation(settings, i))?;
        }
        Ok(())
    })
    .expect("queued");
}

async fn measure(label: &str, settings: Settings, n: usize) -> Duration {
    let pool = db::connect(&settings.database).expect("pool");
    db::migrate(&mut pool.get().expect("connection")).expect("migrated");
    queue(&pool, &settings, n);
    let worker = Worker::new(pool, Arc::new(settings)).expect("worker");
    let started = Instant::now();
    let mut sent = 0;
    while sent < n {
        let report = worker.pass(Utc::now(), None).await.expect("pass");
        assert_eq!(report.retried + report.failed, 0, "{report:?}");
        sent += report.sent;
    }
    let took = started.elapsed();
    println!(
        "{label}: {n} messages in {:.2} s = {:.0} messages/s",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    took
}

fn settings_in(dir: &tempfile::TempDir, name: &str) -> Settings {
    let mut settings = Settings::defaults().unwrap();
    settings.database.url = format!(
        "sqlite://{}",
        dir.path().join(format!("{name}.db")).display()
    );
    settings.mail.outbox_dir = dir.path().join(format!("{name}-outbox"));
    settings.mail.worker = false;
    settings
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let server = smtp::SmtpServer::start();
    let mut settings = settings_in(&dir, "smtp");
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.port = server.port();
    measure("SMTP to 127.0.0.1", settings, n).await;
    let received = server.wait_for(n, Duration::from_secs(30));
    assert_eq!(received.len(), n, "every message arrived");
    let sizes: Vec<usize> = received.iter().map(|r| r.data.len()).collect();
    println!(
        "typical invitation email: {} bytes (min {}, max {}); its calendar part alone: {} bytes",
        sizes[0],
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0),
        invitation(&settings_in(&dir, "x"), 0)
            .calendar
            .map(|c| c.0.len())
            .unwrap_or(0),
    );
    measure("file transport", settings_in(&dir, "file"), n).await;
}
