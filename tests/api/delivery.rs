//! The delivery worker against real failures: a relay that is down or refuses, concurrent
//! workers, a crashed instance's claims, the file transport, the worker in the server, the CLI.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::support::mail::{self, arrivals, hold, queue, recipient, row, ARRIVAL};
use crate::support::smtp::{Received, SmtpServer};
use crate::support::TestApp;
use crate::{on_both_backends, with_smtp_on_both_backends};
use seminars::db::{self, schema::outbox};
use seminars::mail::worker::{PassReport, Worker};

with_smtp_on_both_backends!(
    mail_queued_while_the_relay_is_down_arrives_exactly_once_when_it_is_back,
    two_workers_passing_at_once_never_send_a_message_twice,
    claimants_racing_for_the_same_rows_each_win_different_ones,
    a_claim_whose_lease_ran_out_is_taken_up_again_and_a_live_one_is_not,
    a_relay_that_keeps_refusing_is_retried_with_growing_delays_then_the_message_fails,
    a_message_taken_up_after_a_crash_counts_the_attempt_of_the_crashed_instance,
    a_message_whose_every_claim_crashed_fails_instead_of_being_sent_again,
    claims_given_back_unattempted_are_not_counted_as_attempts,
);

on_both_backends!(
    the_file_transport_writes_one_parseable_eml_per_message_named_by_its_message_id,
    a_message_delivered_again_after_a_crash_is_the_same_file_not_a_second_one,
);

fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

async fn mail_queued_while_the_relay_is_down_arrives_exactly_once_when_it_is_back(
    app: TestApp,
    smtp: SmtpServer,
) {
    queue(&app, 2, "before@example.org").await;
    assert_eq!(app.deliver_mail().await, 2);
    let before = smtp.wait_for(2, ARRIVAL);
    let port = smtp.port();
    smtp.stop();

    let waiting = queue(&app, 3, "during@example.org").await;
    let now = Utc::now();
    let report = app.deliver_mail_at(now).await;
    assert_eq!(
        report,
        PassReport {
            sent: 0,
            retried: 3,
            failed: 0
        }
    );
    for id in &waiting {
        let row = row(&app, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("queued", 1));
        assert!(
            row.last_error
                .as_deref()
                .is_some_and(|e| e.starts_with("SMTP")),
            "{row:?}"
        );
        assert!(utc(row.next_attempt_at) > now, "retried later, not at once");
    }

    let smtp = SmtpServer::start_on(port);
    assert_eq!(
        app.deliver_mail().await,
        0,
        "nothing is due before its retry time"
    );
    let later = now + chrono::Duration::hours(2);
    assert_eq!(app.deliver_mail_at(later).await.sent, 3);
    assert_eq!(app.deliver_mail_at(later).await, PassReport::default());
    let after = smtp.wait_for(3, ARRIVAL);
    let mut counts = arrivals(&smtp);
    for received in &before {
        *counts.entry(mail::parse(received).message_id).or_insert(0) += 1;
    }
    let expected: BTreeSet<String> = mail::outbox_message_ids(&app).await.into_iter().collect();
    assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(
        counts.values().all(|&n| n == 1),
        "each exactly once: {counts:?}"
    );
    assert_eq!(after.len(), 3);
    for id in &waiting {
        assert_eq!(row(&app, id).await.status, "sent");
    }
}

async fn two_workers_passing_at_once_never_send_a_message_twice(app: TestApp, smtp: SmtpServer) {
    let ids = queue(&app, 60, "many@example.org").await;
    let mut settings = app.settings.clone();
    settings.mail.batch_size = 4;
    let settings = Arc::new(settings);
    // The second worker has a pool of its own, as another instance would.
    let other_pool = db::connect(&settings.database).unwrap();
    let one = Worker::new(app.pool.clone(), settings.clone()).unwrap();
    let two = Worker::new(other_pool, settings).unwrap();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        tokio::spawn(async move { one.pass(now, None).await }),
        tokio::spawn(async move { two.pass(now, None).await }),
    );
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!(a.sent + b.sent, 60, "{a:?} {b:?}");
    assert_eq!(a.retried + b.retried + a.failed + b.failed, 0);
    smtp.wait_for(60, ARRIVAL);
    let counts = arrivals(&smtp);
    assert_eq!(counts.len(), 60);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    for id in ids.iter().step_by(7) {
        assert_eq!(row(&app, id).await.status, "sent");
    }
}

async fn claimants_racing_for_the_same_rows_each_win_different_ones(
    app: TestApp,
    _smtp: SmtpServer,
) {
    let ids = queue(&app, 40, "raced@example.org").await;
    let now = Utc::now();
    let lease = now + chrono::Duration::seconds(60);
    let claim = move |pool: &db::Pool, me: &str| {
        let mut conn = pool.get().unwrap();
        seminars::mail::delivery::store::claim(&mut conn, me, now, lease, 5).unwrap()
    };
    let racers: Vec<_> = (0..8)
        .map(|n| {
            let pool = app.pool.clone();
            // A claimant that loses a race gets fewer rows (or none) and stops, as a pass does.
            std::thread::spawn(move || {
                let mut won = Vec::new();
                loop {
                    let rows = claim(&pool, &format!("racer-{n}"));
                    if rows.is_empty() {
                        return won;
                    }
                    won.extend(rows.into_iter().map(|row| row.id));
                }
            })
        })
        .collect();
    let mut won = Vec::new();
    for racer in racers {
        won.extend(racer.join().unwrap());
    }
    // Whatever the racers left (each stopped at its first lost race) a later pass takes.
    loop {
        let rest = claim(&app.pool, "later");
        if rest.is_empty() {
            break;
        }
        won.extend(rest.into_iter().map(|row| row.id));
    }
    let distinct: BTreeSet<&String> = won.iter().collect();
    assert_eq!(distinct.len(), won.len(), "no row was won twice");
    assert_eq!(distinct, ids.iter().collect(), "every due row was claimed");
}

async fn set_claim(app: &TestApp, id: &str, lease_until: DateTime<Utc>) {
    let (id, lease) = (id.to_string(), db::micros(lease_until));
    db::run(&app.pool, move |conn| {
        diesel::update(outbox::table.find(&id))
            .set((
                outbox::status.eq("sending"),
                outbox::claimed_by.eq("crashed-instance"),
                outbox::lease_until.eq(lease),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
}

async fn a_claim_whose_lease_ran_out_is_taken_up_again_and_a_live_one_is_not(
    app: TestApp,
    smtp: SmtpServer,
) {
    let ids = queue(&app, 2, "claimed@example.org").await;
    let now = Utc::now();
    set_claim(&app, &ids[0], now - chrono::Duration::seconds(1)).await;
    set_claim(&app, &ids[1], now + chrono::Duration::seconds(60)).await;
    assert_eq!(app.deliver_mail_at(now).await.sent, 1);
    assert_eq!(row(&app, &ids[0]).await.status, "sent");
    let live = row(&app, &ids[1]).await;
    assert_eq!(
        (live.status.as_str(), live.claimed_by.as_deref()),
        ("sending", Some("crashed-instance"))
    );
    let expired = now + chrono::Duration::seconds(61);
    assert_eq!(app.deliver_mail_at(expired).await.sent, 1);
    assert_eq!(smtp.wait_for(2, ARRIVAL).len(), 2);
    assert_eq!(arrivals(&smtp).len(), 2);
}

async fn a_relay_that_keeps_refusing_is_retried_with_growing_delays_then_the_message_fails(
    mut app: TestApp,
    smtp: SmtpServer,
) {
    app.settings.mail.max_attempts = 3;
    let id = queue(&app, 1, "refused@example.org").await.remove(0);
    smtp.fail_next(100);
    let slack = chrono::Duration::seconds(5);
    let mut at = Utc::now();
    // With retry_base_secs = 30 and equal jitter: 15–30 s after the first failure, 30–60 s after the second.
    for (attempt, low, high) in [(1, 15, 30), (2, 30, 60)] {
        assert_eq!(
            app.deliver_mail_at(at).await,
            PassReport {
                sent: 0,
                retried: 1,
                failed: 0
            }
        );
        let row = row(&app, &id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("queued", attempt));
        assert!(
            row.last_error.as_deref().unwrap().contains("451"),
            "{row:?}"
        );
        let delay = utc(row.next_attempt_at) - at;
        assert!(
            delay >= chrono::Duration::seconds(low)
                && delay <= chrono::Duration::seconds(high) + slack,
            "attempt {attempt}: {delay}"
        );
        assert_eq!(
            app.deliver_mail_at(at).await,
            PassReport::default(),
            "not due yet"
        );
        at = utc(row.next_attempt_at);
    }
    assert_eq!(
        app.deliver_mail_at(at).await,
        PassReport {
            sent: 0,
            retried: 0,
            failed: 1
        }
    );
    let row = row(&app, &id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 3));
    assert!(row.last_error.unwrap().contains("451"));
    let much_later = at + chrono::Duration::days(1);
    assert_eq!(app.deliver_mail_at(much_later).await, PassReport::default());
    assert!(smtp.received().is_empty());
}

async fn the_file_transport_writes_one_parseable_eml_per_message_named_by_its_message_id(
    app: TestApp,
) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    hold(
        &app,
        session["id"].as_str().unwrap(),
        &recipient("Filed Delegate", "filed@example.org"),
    )
    .await;
    queue(&app, 1, "plain@example.org").await;
    assert_eq!(app.deliver_mail().await, 2);
    let (rows, _) = db::run(&app.pool, |conn| {
        Ok(seminars::mail::outbox::list(conn, None, 10, 0)?)
    })
    .await
    .unwrap();
    let dir = &app.settings.mail.outbox_dir;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = rows.iter().map(eml_of).collect();
    expected.sort();
    assert_eq!(names, expected, "one file per message and no partial files");
    for row in &rows {
        let data = std::fs::read(dir.join(eml_of(row))).unwrap();
        let parsed = mail::parse(&Received {
            from: String::new(),
            to: Vec::new(),
            data,
        });
        assert_eq!(parsed.message_id, row.message_id);
        assert_eq!(parsed.to_addr, row.to_email);
        let calendar = row.calendar.is_some();
        assert_eq!(parsed.structure.starts_with("multipart/mixed"), calendar);
        if calendar {
            assert_eq!(
                mail::calendar_of(&parsed).method.as_deref(),
                Some("REQUEST")
            );
        }
    }
}

/// The file the file transport writes a message to: its Message-ID without the angle brackets.
fn eml_of(row: &seminars::mail::outbox::OutboxRow) -> String {
    format!("{}.eml", row.message_id.trim_matches(['<', '>']))
}

/// Claims every due message for `claimant` as a pass would, then does nothing more: an instance
/// that crashed right after claiming (or after handing a message over).
async fn claim_and_crash(app: &TestApp, claimant: &str, now: DateTime<Utc>) -> usize {
    let claimant = claimant.to_string();
    let lease = now + chrono::Duration::seconds(60);
    db::run(&app.pool, move |conn| {
        seminars::mail::delivery::store::claim(conn, &claimant, now, lease, 50)
    })
    .await
    .unwrap()
    .len()
}

async fn a_message_taken_up_after_a_crash_counts_the_attempt_of_the_crashed_instance(
    app: TestApp,
    smtp: SmtpServer,
) {
    let id = queue(&app, 1, "crashed@example.org").await.remove(0);
    let now = Utc::now();
    assert_eq!(claim_and_crash(&app, "crashed-instance", now).await, 1);
    assert_eq!(row(&app, &id).await.attempts, 1, "counted when claimed");
    let later = now + chrono::Duration::seconds(61);
    assert_eq!(app.deliver_mail_at(later).await.sent, 1);
    let sent = row(&app, &id).await;
    assert_eq!(
        (sent.status.as_str(), sent.attempts),
        ("sent", 2),
        "the crashed attempt and the one that sent it"
    );
    let received = smtp.wait_for(1, ARRIVAL);
    assert_eq!(mail::parse(&received[0]).message_id, sent.message_id);
}

async fn a_message_whose_every_claim_crashed_fails_instead_of_being_sent_again(
    mut app: TestApp,
    smtp: SmtpServer,
) {
    app.settings.mail.max_attempts = 2;
    let id = queue(&app, 1, "poison@example.org").await.remove(0);
    let mut at = Utc::now();
    for n in 0..2 {
        assert_eq!(claim_and_crash(&app, &format!("crashed-{n}"), at).await, 1);
        at += chrono::Duration::seconds(61);
    }
    assert_eq!(
        app.deliver_mail_at(at).await,
        PassReport {
            sent: 0,
            retried: 0,
            failed: 1
        }
    );
    let failed = row(&app, &id).await;
    assert_eq!((failed.status.as_str(), failed.attempts), ("failed", 2));
    assert!(
        failed.last_error.as_deref().unwrap().contains("gave up"),
        "{failed:?}"
    );
    assert!(smtp.received().is_empty());
}

async fn claims_given_back_unattempted_are_not_counted_as_attempts(
    app: TestApp,
    _smtp: SmtpServer,
) {
    let ids = queue(&app, 2, "released@example.org").await;
    assert_eq!(claim_and_crash(&app, "stopping", Utc::now()).await, 2);
    let released = db::run(&app.pool, {
        let ids = ids.clone();
        move |conn| seminars::mail::delivery::store::release(conn, &ids, "stopping")
    })
    .await
    .unwrap();
    assert_eq!(released, 2);
    for id in &ids {
        let row = row(&app, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("queued", 0));
    }
}

async fn a_message_delivered_again_after_a_crash_is_the_same_file_not_a_second_one(app: TestApp) {
    let token = app.organiser().await;
    let (session, _) = app.scheduled_session(&token).await;
    hold(
        &app,
        session["id"].as_str().unwrap(),
        &recipient("Filed Twice", "twice@example.org"),
    )
    .await;
    assert_eq!(app.deliver_mail().await, 1);
    let dir = app.settings.mail.outbox_dir.clone();
    let files = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let (rows, _) = db::run(&app.pool, |conn| {
        Ok(seminars::mail::outbox::list(conn, None, 10, 0)?)
    })
    .await
    .unwrap();
    let name = eml_of(&rows[0]);
    assert_eq!(files(), vec![name.clone()]);
    let first = std::fs::read(dir.join(&name)).unwrap();
    // The instance wrote the file, then crashed before recording it: its lease runs out.
    let now = Utc::now();
    set_claim(&app, &rows[0].id, now - chrono::Duration::seconds(1)).await;
    assert_eq!(app.deliver_mail_at(now).await.sent, 1);
    assert_eq!(
        files(),
        vec![name.clone()],
        "the same file, no second one, no partial file"
    );
    assert_eq!(
        std::fs::read(dir.join(&name)).unwrap(),
        first,
        "the message first handed over is kept, not overwritten"
    );
}
