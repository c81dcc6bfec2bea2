//! The worker as operators run it: inside `seminars serve`, and one pass with `seminars outbox send`.

use std::time::Duration;

use crate::support::mail::{queue, row, spawn_with_smtp, ARRIVAL};
use crate::support::Backend;
use seminars::db;
use seminars::mail::outbox::{enqueue, Email, RecordKind};

async fn the_worker_inside_the_server_delivers_by_itself_and_stops_cleanly(backend: Backend) {
    let Some((mut app, smtp)) = spawn_with_smtp(backend, |s| {
        s.mail.worker = true;
        s.mail.poll_interval_ms = 20;
    })
    .await
    else {
        return eprintln!("PostgreSQL SKIPPED: TEST_DATABASE_URL is not set");
    };
    let ids = queue(&app, 3, "served@example.org").await;
    assert_eq!(smtp.wait_for(3, ARRIVAL).len(), 3);
    let worker = app.worker.take().expect("the worker runs");
    tokio::time::timeout(Duration::from_secs(10), worker.stop())
        .await
        .expect("the worker stops when told");
    for id in &ids {
        let row = row(&app, id).await;
        assert_eq!(
            (row.status.as_str(), row.claimed_by.is_some()),
            ("sent", true)
        );
    }
}

mod the_worker_inside_the_server_delivers_by_itself_and_stops_cleanly {
    use crate::support::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_worker_inside_the_server_delivers_by_itself_and_stops_cleanly(Backend::Sqlite)
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_worker_inside_the_server_delivers_by_itself_and_stops_cleanly(Backend::Postgres)
            .await;
    }
}

#[test]
fn outbox_send_delivers_what_is_due_once_and_prints_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let mut settings = seminars::config::Settings::defaults().unwrap();
    settings.database.url = url.clone();
    let pool = db::connect(&settings.database).unwrap();
    let mut conn = pool.get().unwrap();
    db::migrate(&mut conn).unwrap();
    let email = |to: &str| Email {
        to_email: to.into(),
        to_name: "CLI".into(),
        subject: "From the command line".into(),
        text: "Hello\n".into(),
        html: "<p>Hello</p>\n".into(),
        calendar: None,
        record_kind: RecordKind::USER,
        record_id: "1".into(),
        reply_to: None,
    };
    let good = enqueue(&mut conn, "127.0.0.1", email("cli@example.org")).unwrap();
    enqueue(&mut conn, "127.0.0.1", email("not an address")).unwrap();
    drop(conn);
    let outbox_dir = dir.path().join("eml");
    let run = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_seminars"));
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("SEMINARS")) {
            command.env_remove(key);
        }
        let output = command
            .args(["outbox", "send"])
            .env("SEMINARS__DATABASE__URL", &url)
            .env("SEMINARS__MAIL__OUTBOX_DIR", &outbox_dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        run().trim(),
        "1 sent, 0 queued again for a later attempt, 1 failed"
    );
    assert!(outbox_dir
        .join(format!("{}.eml", good.message_id.trim_matches(['<', '>'])))
        .is_file());
    assert_eq!(
        run().trim(),
        "0 sent, 0 queued again for a later attempt, 0 failed"
    );
}
