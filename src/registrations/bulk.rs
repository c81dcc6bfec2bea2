//! Bulk actions on a session's registrations: confirm (approve), reject, email.

use super::api::BulkInput;
use super::decide::{self, Decider};
use crate::auth::User;
use crate::config::Settings;
use crate::db::Conn;
use crate::error::AppError;
use crate::input::Check;

/// A checked bulk action.
#[derive(Debug, Clone)]
pub enum Action {
    Confirm(Vec<String>, Option<String>),
    Reject(Vec<String>, Option<String>),
    Email(Vec<String>, String, String),
}

impl Action {
    /// Checks the input; emailing is for organisers only.
    pub fn read(input: BulkInput, user: &User) -> Result<Action, AppError> {
        let mut check = Check::new();
        let action = check.line("action", input.action, 20);
        let ids = check.required("ids", input.ids);
        let comment = check
            .optional("comment", input.comment)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let action = match action.as_deref() {
            Some("confirm") | Some("reject") | None => action,
            Some("email") => {
                let subject = check.line("subject", input.subject, 200);
                let message = check.text("message", input.message, 20_000);
                check.finish()?;
                if !user.is_organiser() {
                    return Err(AppError::Forbidden);
                }
                let (Some(ids), Some(subject), Some(message)) = (ids, subject, message) else {
                    return Err(AppError::invalid("action", "is incomplete"));
                };
                return Ok(Action::Email(ids, subject, message));
            }
            Some(_) => {
                check.fail("action", "must be confirm, reject or email");
                None
            }
        };
        check.finish()?;
        match (action.as_deref(), ids) {
            (Some("confirm"), Some(ids)) => Ok(Action::Confirm(ids, comment)),
            (Some("reject"), Some(ids)) => Ok(Action::Reject(ids, comment)),
            _ => Err(AppError::invalid("action", "is incomplete")),
        }
    }

    /// Runs the action in one transaction and answers how many registrations it touched.
    pub fn run(
        self,
        conn: &mut Conn,
        settings: &Settings,
        user: User,
        session_id: &str,
    ) -> Result<usize, AppError> {
        let approve = matches!(self, Action::Confirm(..));
        match self {
            Action::Email(ids, subject, message) => {
                decide::email(conn, settings, &user, session_id, &ids, (subject, message))
            }
            Action::Confirm(ids, comment) | Action::Reject(ids, comment) => {
                let decider = Decider::account(user);
                decide::decide(
                    conn,
                    settings,
                    &decider,
                    Some(session_id),
                    &ids,
                    approve,
                    comment,
                )
                .map(|done| done.len())
            }
        }
    }
}
