//! Reminders of unanswered invitations: the first after `speakers.reminder_after_days` (3 by
//! default), a second as long after, never a third; an answered invitation gets none; and two
//! workers running a pass at the same moment send each reminder once, on both backends.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{answer, invited, mail_of, speaker, stage};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::db;

on_both_backends!(
    an_unanswered_invitation_is_reminded_twice_at_most_and_an_answered_one_never,
    two_workers_racing_send_each_reminder_once,
);

/// One reminder pass as if the clock showed `now`; answers how many it sent.
async fn pass(app: &TestApp, now: DateTime<Utc>) -> usize {
    let ctx = seminars::app::ctx(&app.settings).at(now);
    db::run(&app.pool, move |conn| {
        seminars::speakers::service::remind(conn, &ctx)
    })
    .await
    .unwrap()
}

async fn an_unanswered_invitation_is_reminded_twice_at_most_and_an_answered_one_never(
    app: TestApp,
) {
    assert_eq!(app.settings.speakers.reminder_after_days, 3, "the default");
    let st = stage(&app).await;
    let start = Utc::now();
    let (open, _) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let other = speaker(&app, &st.s.organiser, "Amina Diallo", "amina@artp.sn").await;
    let (answered, token) = invited(&app, &st, &st.items[3], &other).await;
    assert_eq!(answer(&app, &token, "confirm", json!({})).await.0, 200);
    assert_eq!(pass(&app, start + Duration::days(2)).await, 0, "not yet");
    let first = start + Duration::days(3) + Duration::minutes(1);
    assert_eq!(pass(&app, first).await, 1);
    assert_eq!(pass(&app, first).await, 0, "never the same one twice");
    assert_eq!(
        pass(&app, first + Duration::days(2)).await,
        0,
        "the second waits as long"
    );
    assert_eq!(
        pass(&app, first + Duration::days(3) + Duration::minutes(1)).await,
        1
    );
    assert_eq!(
        pass(&app, first + Duration::days(30)).await,
        0,
        "at most two"
    );
    let mail = mail_of(&app, &open).await;
    assert_eq!(mail.len(), 3, "the invitation and two reminders");
    assert!(mail[1].1.starts_with("Action required"), "{}", mail[1].1);
    assert!(
        mail[2].2.contains("/invitations/"),
        "a link to answer: {}",
        mail[2].2
    );
    assert_eq!(
        mail_of(&app, &answered).await.len(),
        1,
        "no reminder once answered"
    );
}

async fn two_workers_racing_send_each_reminder_once(app: TestApp) {
    let st = stage(&app).await;
    let start = Utc::now();
    let mut ids = Vec::new();
    for (i, item) in [1, 3].into_iter().enumerate() {
        let who = speaker(
            &app,
            &st.s.organiser,
            &format!("Speaker {i}"),
            &format!("s{i}@example.org"),
        )
        .await;
        ids.push(invited(&app, &st, &st.items[item], &who).await.0);
    }
    let at = start + Duration::days(4);
    let mut total = 0;
    for _ in 0..3 {
        let (one, two) = tokio::join!(pass(&app, at), pass(&app, at));
        total += one + two;
    }
    assert_eq!(total, 2, "one first reminder per invitation");
    for id in &ids {
        assert_eq!(mail_of(&app, id).await.len(), 2, "one reminder each");
    }
    let later = at + Duration::days(4);
    let (one, two) = tokio::join!(pass(&app, later), pass(&app, later));
    assert_eq!(one + two, 2, "the second reminders, once each");
    for id in &ids {
        assert_eq!(mail_of(&app, id).await.len(), 3);
    }
}

on_both_backends!(seminars_remind_runs_one_pass_from_the_command_line);

async fn seminars_remind_runs_one_pass_from_the_command_line(app: TestApp) {
    let st = stage(&app).await;
    let (id, _) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let url = app.settings.database.url.clone();
    let run = move || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_seminars"))
            .arg("remind")
            .env("SEMINARS__DATABASE__URL", &url)
            .env("SEMINARS__SPEAKERS__REMINDER_AFTER_DAYS", "0")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stdout}{stderr}");
        stdout
    };
    // With 0 days, each pass sends the next reminder due: the first, the second, then none.
    for expected in ["1 speaker", "1 speaker", "0 speaker"] {
        let out = tokio::task::spawn_blocking(run.clone()).await.unwrap();
        assert!(
            out.contains(&format!("{expected} reminder(s) queued")),
            "{out}"
        );
    }
    assert_eq!(mail_of(&app, &id).await.len(), 3);
}
