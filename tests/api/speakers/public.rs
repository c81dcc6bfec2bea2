//! The public programme names the confirmed speakers of the approved version (name,
//! organisation, country in words), and each speaker has a public page with their bio, unless
//! they asked to be listed without it.

use serde_json::{json, Value};

use super::{answer, invited, stage, Stage};
use crate::agendas::step;
use crate::on_both_backends;
use crate::support::TestApp;

on_both_backends!(
    the_programme_names_confirmed_speakers_once_approved_and_their_page_honours_opt_out
);

async fn approve_and_publish(app: &TestApp, st: &Stage) {
    let (status, body) = step(app, &st.s.organiser, &st.s.session, "submit", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = step(app, &st.s.rapporteur, &st.s.session, "approve", json!({})).await;
    assert_eq!(status, 200, "{body}");
}

async fn the_programme_names_confirmed_speakers_once_approved_and_their_page_honours_opt_out(
    app: TestApp,
) {
    let st = stage(&app).await;
    let private = json!({"name": "Kofi Mensah", "email": "kofi@nca.gh", "organisation": "NCA Ghana",
        "organisation_kind": "member_state", "country": "GH", "bio": "Secret bio text.", "public_profile": false});
    let response = app
        .post_as(&st.s.organiser, "/api/v1/speakers", private)
        .await;
    assert_eq!(response.status(), 201);
    let kofi: Value = response.json().await.unwrap();
    let kofi = kofi["id"].as_str().unwrap().to_string();
    let (_, aiko) = invited(&app, &st, &st.items[1], &st.speaker).await;
    let (_, kofi_token) = invited(&app, &st, &st.items[3], &kofi).await;
    assert_eq!(answer(&app, &aiko, "confirm", json!({})).await.0, 200);
    assert_eq!(answer(&app, &kofi_token, "confirm", json!({})).await.0, 200);
    let publish = format!("/api/v1/sessions/{}/publish", st.s.session);
    assert_eq!(
        app.post_as(&st.s.organiser, &publish, json!({}))
            .await
            .status(),
        200
    );
    let page = app
        .get(&format!("/sessions/{}", st.s.session))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Aiko Tanaka"),
        "not before a version naming her is approved"
    );
    assert_eq!(
        app.get(&format!("/speakers/{}", st.speaker)).await.status(),
        404
    );
    approve_and_publish(&app, &st).await;
    let page = app
        .get(&format!("/sessions/{}", st.s.session))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Aiko Tanaka"), "{page}");
    assert!(
        page.contains("MIC, Japan"),
        "organisation and country in words"
    );
    assert!(page.contains(&format!("/speakers/{}", st.speaker)));
    let public = app.get(&format!("/speakers/{}", st.speaker)).await;
    assert_eq!(public.status(), 200);
    let public = public.text().await.unwrap();
    assert!(
        public.contains("Aiko Tanaka leads incident response."),
        "the bio"
    );
    assert!(public.contains("CIRT in Japan"), "her items");
    let hidden = app.get(&format!("/speakers/{kofi}")).await;
    assert_eq!(hidden.status(), 200);
    let hidden = hidden.text().await.unwrap();
    assert!(hidden.contains("Kofi Mensah") && hidden.contains("Ghana"));
    assert!(
        !hidden.contains("Secret bio text."),
        "listed without the bio"
    );
    // Aiko asks, from her own link, to be listed without her bio, then changes her mind.
    let browser = crate::browser::Browser::open(&app).await;
    let listing = format!("/invitations/{aiko}/listing");
    let saved = browser.post_form(&listing, &[], true).await;
    assert_eq!(saved.status(), 303);
    let back = saved.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, format!("/invitations/{aiko}?done=listing"));
    let page = browser.get(&back).await.text().await.unwrap();
    assert!(page.contains("Your choice for the public programme is saved."));
    let public = app.get(&format!("/speakers/{}", st.speaker)).await;
    let public = public.text().await.unwrap();
    assert!(public.contains("Aiko Tanaka"), "still named");
    assert!(
        !public.contains("Aiko Tanaka leads incident response."),
        "{public}"
    );
    let ticked = [("public_profile", "yes")];
    assert_eq!(
        browser.post_form(&listing, &ticked, true).await.status(),
        303
    );
    let public = app.get(&format!("/speakers/{}", st.speaker)).await;
    assert!(public
        .text()
        .await
        .unwrap()
        .contains("Aiko Tanaka leads incident response."));
    let other = format!("/invitations/{}x/listing", aiko);
    assert_eq!(browser.post_form(&other, &[], true).await.status(), 404);
}
