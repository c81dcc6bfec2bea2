//! One-shot messages shown on the next page after an action ("Published; 0 invitations sent"),
//! kept in the signed cookie session until read.

use actix_session::SessionExt;
use actix_web::HttpRequest;

const KEY: &str = "flash";

/// Keeps a message for the next page this browser opens.
pub fn set(req: &HttpRequest, message: impl Into<String>) {
    // A cookie that cannot take the message loses it; the action itself has happened.
    let _ = req.get_session().insert(KEY, message.into());
}

/// The message kept for this page, removed so it shows once.
pub fn take(req: &HttpRequest) -> Option<String> {
    req.get_session()
        .remove_as::<String>(KEY)
        .and_then(|r| r.ok())
}

/// "1 person" / "3 people", for what was sent to whom.
pub fn people(n: usize) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}
