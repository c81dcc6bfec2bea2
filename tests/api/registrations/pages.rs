//! The registration pages: the public form, the delegate's page, the organisers' pages, the directory.

use serde_json::{json, Value};

use super::{delegate, end_session, open_session, register, token_of};
use crate::on_both_backends;
use crate::support::TestApp;
use seminars::access::Role;

on_both_backends!(
    the_session_page_links_to_a_form_with_a_searchable_country_list,
    the_form_shows_each_error_beside_its_field_and_keeps_the_answers,
    the_form_confirms_and_tells_the_waiting_list_position,
    the_delegate_views_and_cancels_from_their_link,
    organisers_see_filtered_registrations_bulk_forms_and_an_svg_chart,
    the_directory_opens_to_listed_participants_after_the_session,
    admins_replace_the_countries_list_from_a_page,
);

async fn post_form(
    app: &TestApp,
    path: &str,
    body: &str,
    bearer: Option<&str>,
) -> reqwest::Response {
    if let Some(token) = bearer {
        return app
            .client
            .post(app.url(path))
            .bearer_auth(token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
    }
    // A visitor's browser: it holds the session cookie and sends the form's CSRF token back.
    let browser = crate::browser::Browser::open(app).await;
    browser
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{body}&csrf_token={}", browser.csrf))
        .send()
        .await
        .unwrap()
}

const FORM: &str = "name=Amina+Diallo&email=amina%40example.sn&organisation=ARTP&job_title=Director&country=SN&stakeholder_category=regulator&attendance=in_person&consent_directory=on";

async fn the_session_page_links_to_a_form_with_a_searchable_country_list(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let page = app
        .get(&format!("/sessions/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"/sessions/{session}/register\"")));
    let form = app.get(&format!("/sessions/{session}/register")).await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(form.contains("list=\"countries\"") && form.contains("<datalist id=\"countries\">"));
    assert!(form.contains("<option value=\"JP\">Japan</option>"));
    assert!(form.contains("Côte d&#x27;Ivoire"));
    assert!(
        !form.contains("<script"),
        "no script: the CSP forbids inline code"
    );
}

async fn the_form_shows_each_error_beside_its_field_and_keeps_the_answers(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let body = FORM
        .replace("amina%40example.sn", "not-an-email")
        .replace("country=SN", "country=Atlantis");
    let response = post_form(&app, &format!("/sessions/{session}/register"), &body, None).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("id=\"email-error\">is not an email address"));
    assert!(page.contains("id=\"country-error\""));
    assert!(page.contains("value=\"Amina Diallo\""), "answers are kept");
    assert!(page.contains("value=\"regulator\" checked"));
    assert!(!page.contains("id=\"name-error\""));
}

async fn the_form_confirms_and_tells_the_waiting_list_position(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({"capacity": 0})).await;
    let path = format!("/sessions/{session}/register");
    let response = post_form(&app, &path, FORM, None).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Waiting list") && page.contains("<strong>1</strong>"),
        "{page}"
    );
    let again = post_form(&app, &path, FORM, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("had registered for this session already"));
    let mut closed = FORM.to_string();
    closed.push_str("&visa_letter_needed=on");
    let response = post_form(&app, &path, &closed.replace("amina%40", "b%40"), None).await;
    assert_eq!(
        response.status(),
        422,
        "the visa letter needs passport details"
    );
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("id=\"passport_number-error\""));
}

async fn the_delegate_views_and_cancels_from_their_link(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    register(&app, &session, delegate("own@example.org", "JP")).await;
    let link = token_of(&app, "own@example.org").await;
    let page = app
        .get(&format!("/registrations/{link}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("own@example.org") && page.contains("Confirmed"));
    let cancelled = post_form(&app, &format!("/registrations/{link}/cancel"), "", None).await;
    assert_eq!(cancelled.status(), 200);
    let page = cancelled.text().await.unwrap();
    assert!(page.contains("Your registration is cancelled"));
    assert!(!page.contains("Cancel my registration"));
    assert_eq!(
        app.get(&format!("/registrations/{}", "f".repeat(64)))
            .await
            .status(),
        404
    );
}

async fn organisers_see_filtered_registrations_bulk_forms_and_an_svg_chart(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    register(&app, &session, delegate("np@example.org", "NP")).await;
    register(&app, &session, delegate("de@example.org", "DE")).await;
    let list = app
        .get_as(
            &token,
            &format!("/sessions/{session}/registrations?country_group=ldc"),
        )
        .await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(list.contains("np@example.org") && !list.contains("de@example.org"));
    assert!(list.contains("registrations.csv?country_group=ldc"));
    assert!(list.contains("name=\"ids\""));
    let first = app
        .get_as(
            &token,
            &format!("/sessions/{session}/registrations?limit=1"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        first.contains("limit=1&amp;offset=1"),
        "a link to the next page"
    );
    let ids: Value = app
        .get_as(&token, &format!("/api/v1/sessions/{session}/registrations"))
        .await
        .json()
        .await
        .unwrap();
    let id = ids["items"][0]["id"].as_str().unwrap();
    let body = format!("action=email&ids={id}&subject=Welcome&message=See+you");
    let done = post_form(
        &app,
        &format!("/sessions/{session}/registrations/bulk"),
        &body,
        Some(&token),
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        super::mail_to(&app, "np@example.org")
            .await
            .last()
            .unwrap()
            .subject,
        "Welcome"
    );
    let stats = app
        .get_as(&token, &format!("/sessions/{session}/registrations/stats"))
        .await
        .text()
        .await
        .unwrap();
    assert!(stats.contains("<svg") && stats.contains("</svg>"));
    assert!(stats.contains("<th scope=\"row\">Policy-maker</th>"));
    assert!(stats.contains("(50 %)"), "each of two is half");
    let rapporteur = app.token(&[Role::Rapporteur]).await;
    assert_eq!(
        app.get_as(
            &rapporteur,
            &format!("/sessions/{session}/registrations/stats")
        )
        .await
        .status(),
        403
    );
}

async fn the_directory_opens_to_listed_participants_after_the_session(app: TestApp) {
    let token = app.organiser().await;
    let session = open_session(&app, &token, json!({})).await;
    let mut sharer = delegate("share@example.org", "JP");
    sharer["name"] = json!("Kenji Sato");
    sharer["consent_share_email"] = json!(true);
    register(&app, &session, sharer).await;
    let mut quiet = delegate("quiet@example.org", "KE");
    quiet["name"] = json!("Wanjiku Mwangi");
    register(&app, &session, quiet).await;
    let mut hidden = delegate("hidden@example.org", "NP");
    hidden["name"] = json!("Not Listed");
    hidden["consent_directory"] = json!(false);
    register(&app, &session, hidden).await;
    let link = token_of(&app, "quiet@example.org").await;
    let path = format!("/sessions/{session}/directory");
    let early = app
        .get(&format!("{path}?token={link}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(early.contains("opens when the session is over") && !early.contains("Kenji"));
    end_session(&app, &session).await;
    let page = app
        .get(&format!("{path}?token={link}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kenji Sato")
            && page.contains("Wanjiku Mwangi")
            && !page.contains("Not Listed")
    );
    assert!(page.contains("share@example.org") && !page.contains("quiet@example.org"));
    let unlisted = token_of(&app, "hidden@example.org").await;
    assert_eq!(
        app.get(&format!("{path}?token={unlisted}")).await.status(),
        404
    );
    assert_eq!(app.get(&path).await.status(), 404);
    assert_eq!(app.get_as(&token, &path).await.status(), 200);
}

async fn admins_replace_the_countries_list_from_a_page(app: TestApp) {
    let admin = app.token(&[Role::Admin]).await;
    let page = app.get_as(&admin, "/admin/countries").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("LDC: 44"));
    let bad = post_form(
        &app,
        "/admin/countries",
        "csv=alpha2%2Calpha3%2Cname%2Cgroup%0AJP%2CJPN%2CJapan%2Crich",
        Some(&admin),
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("line 2"));
    let organiser = app.organiser().await;
    assert_eq!(
        app.get_as(&organiser, "/admin/countries").await.status(),
        403
    );
}
