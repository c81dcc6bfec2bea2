//! A countries import shows what it adds, changes and removes, and applies only on confirmation:
//! through the API, the admin page and the command line.

use std::process::Command;

use serde_json::Value;

use crate::browser::{csrf_of, signed_in};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    an_api_import_of_one_line_only_previews_the_248_removals_until_confirmed,
    a_page_import_shows_a_preview_with_a_confirm_button_and_replaces_the_list_only_then,
);

const BUNDLED: &str = include_str!("../../data/reference/countries.csv");
const ONE_LINE: &str = "alpha2,alpha3,name,group\nJP,JPN,Japan,developed\n";

async fn countries(app: &TestApp) -> usize {
    let list: Value = app.get("/api/v1/countries").await.json().await.unwrap();
    list.as_array().unwrap().len()
}

async fn import(app: &TestApp, admin: &str, query: &str, csv: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/countries/import{query}")))
        .bearer_auth(admin)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn an_api_import_of_one_line_only_previews_the_248_removals_until_confirmed(app: TestApp) {
    let admin = app.token(&[Role::Admin]).await;
    let (status, preview) = import(&app, &admin, "", ONE_LINE).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["applied"], false);
    assert_eq!(preview["removed"].as_array().unwrap().len(), 248);
    assert_eq!(preview["countries"], 1);
    assert_eq!(countries(&app).await, 249, "a preview changes nothing");
    let (_, explicit) = import(&app, &admin, "?confirm=false", ONE_LINE).await;
    assert_eq!(explicit["applied"], false);
    assert_eq!(countries(&app).await, 249);

    let renamed = BUNDLED.replace("TR,TUR,Türkiye,developing", "TR,TUR,Turkey,developing");
    let (status, applied) = import(&app, &admin, "?confirm=true", &renamed).await;
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["applied"], true);
    assert_eq!(applied["changed"][0], "TR: name \"Türkiye\" → \"Turkey\"");

    let stale = preview["based_on"].as_str().unwrap();
    let (status, problem) = import(
        &app,
        &admin,
        &format!("?confirm=true&based_on={stale}"),
        ONE_LINE,
    )
    .await;
    assert_eq!(
        status, 409,
        "the list changed since that preview: {problem}"
    );
    assert_eq!(countries(&app).await, 249);
    let (_, fresh) = import(&app, &admin, "", ONE_LINE).await;
    let based_on = fresh["based_on"].as_str().unwrap();
    let (status, applied) = import(
        &app,
        &admin,
        &format!("?confirm=true&based_on={based_on}"),
        ONE_LINE,
    )
    .await;
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["applied"], true);
    assert_eq!(countries(&app).await, 1);
}

/// The value of a hidden field of a page, with the HTML escapes undone.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let rest = page.split(&marker).nth(1).expect(name);
    rest.split('"')
        .next()
        .unwrap()
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn a_page_import_shows_a_preview_with_a_confirm_button_and_replaces_the_list_only_then(
    app: TestApp,
) {
    let admin = signed_in(&app, &[Role::Admin]).await;
    let csv = BUNDLED.replace("NP,NPL,Nepal,ldc", "NP,NPL,Nepal,developing");
    let preview = admin
        .post_form("/admin/countries", &[("csv", ONE_LINE)], true)
        .await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    assert!(page.contains("Removed (248)"), "{page}");
    assert!(page.contains("Nothing has changed yet"));
    assert_eq!(countries(&app).await, 249, "a preview changes nothing");
    assert_eq!(csrf_of(&page).as_deref(), Some(admin.csrf.as_str()));
    assert_eq!(hidden(&page, "csv"), ONE_LINE);

    let preview = admin
        .post_form("/admin/countries", &[("csv", &csv)], true)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        preview.contains("Group changed (1): NP: ldc → developing"),
        "{preview}"
    );
    assert!(preview.contains("Removed (0)"));
    let (sent, based_on) = (hidden(&preview, "csv"), hidden(&preview, "based_on"));
    assert_eq!(sent, csv, "the confirm form carries the very CSV");
    let confirm = [
        ("csv", sent.as_str()),
        ("based_on", based_on.as_str()),
        ("confirm", "yes"),
    ];
    let refused = admin.post_form("/admin/countries", &confirm, false).await;
    assert_eq!(
        refused.status(),
        403,
        "the confirmation needs the CSRF token"
    );
    let done = admin.post_form("/admin/countries", &confirm, true).await;
    assert_eq!(done.status(), 200);
    assert!(done
        .text()
        .await
        .unwrap()
        .contains("Countries imported: 249"));
    let list: Value = app.get("/api/v1/countries").await.json().await.unwrap();
    let nepal = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["alpha2"] == "NP")
        .unwrap();
    assert_eq!(nepal["country_group"], "developing");

    let again = admin.post_form("/admin/countries", &confirm, true).await;
    assert_eq!(
        again.status(),
        409,
        "a confirmation of a stale preview is previewed again"
    );
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("replaced by someone else"));
}

#[test]
fn the_countries_import_command_prints_the_changes_and_applies_them_only_with_yes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let file = dir.path().join("one.csv");
    std::fs::write(&file, ONE_LINE).unwrap();
    let run = |yes: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_seminars"));
        command
            .args(["countries", "import"])
            .arg(&file)
            .env("SEMINARS__DATABASE__URL", &url);
        if yes {
            command.arg("--yes");
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    let count = || {
        let mut settings = seminars::config::Settings::defaults().unwrap();
        settings.database.url = url.clone();
        let pool = seminars::db::connect(&settings.database).unwrap();
        let mut conn = pool.get().unwrap();
        seminars::countries::store::all(&mut conn).unwrap().len()
    };
    let dry = run(false);
    assert!(dry.contains("removed (248)"), "{dry}");
    assert!(dry.contains("--yes"), "{dry}");
    assert_eq!(count(), 249, "without --yes nothing changes");
    let applied = run(true);
    assert!(applied.contains("1 countries imported"), "{applied}");
    assert_eq!(count(), 1);
    assert!(run(false).contains("unchanged"));
}
