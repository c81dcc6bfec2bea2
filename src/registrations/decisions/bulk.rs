//! Bulk actions on a session's registrations: confirm (approve), reject, email.

use serde::Deserialize;

use super::service::{self as decide, Decider};
use crate::access::User;
use crate::db::Conn;
use crate::effects::Ctx;
use crate::error::AppError;
use crate::input::{Check, Field};
use crate::registrations::domain::RegistrationId;
use crate::registrations::notices::Draft;

/// A bulk action on registrations of one session.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkInput {
    /// confirm (approve pending), reject, or email.
    #[serde(default)]
    #[schema(value_type = String)]
    pub action: Field<String>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub ids: Field<Vec<RegistrationId>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub subject: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub message: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub comment: Field<String>,
    /// For email: open the message with "Dear NAME," (default true); false when the message
    /// has its own greeting.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub greeting: Field<bool>,
}

/// A checked bulk action.
#[derive(Debug, Clone)]
pub enum Action {
    Confirm(Vec<RegistrationId>, Option<String>),
    Reject(Vec<RegistrationId>, Option<String>),
    Email(Vec<RegistrationId>, Draft),
}

/// Reads the email's fields: a subject, a message, and whether to open with "Dear NAME,"
/// (yes unless the sender says no).
fn draft(check: &mut Check, input: BulkInput) -> Option<Draft> {
    let subject = check.line("subject", input.subject, 200);
    let message = check.text("message", input.message, 20_000);
    let greeting = check.optional("greeting", input.greeting).unwrap_or(true);
    Some(Draft {
        subject: subject?,
        message: message?,
        greeting,
    })
}

impl Action {
    /// Checks the input; emailing is for organisers only.
    pub fn read(mut input: BulkInput, user: &User) -> Result<Action, AppError> {
        let mut check = Check::new();
        let action = check.line("action", std::mem::take(&mut input.action), 20);
        let ids = check.required("ids", std::mem::take(&mut input.ids));
        let comment = check
            .optional("comment", std::mem::take(&mut input.comment))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let action = match action.as_deref() {
            Some("confirm") | Some("reject") | None => action,
            Some("email") => {
                let draft = draft(&mut check, input);
                check.finish()?;
                if !user.is_organiser() {
                    return Err(AppError::Forbidden);
                }
                let (Some(ids), Some(draft)) = (ids, draft) else {
                    return Err(AppError::invalid("action", "is incomplete"));
                };
                return Ok(Action::Email(ids, draft));
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
        ctx: &Ctx,
        user: User,
        session_id: &str,
    ) -> Result<usize, AppError> {
        let approve = matches!(self, Action::Confirm(..));
        match self {
            Action::Email(ids, draft) => {
                decide::email(conn, ctx, &user, (session_id, &ids), &draft)
            }
            Action::Confirm(ids, comment) | Action::Reject(ids, comment) => {
                let decider = Decider::account(user);
                let decision = (approve, comment);
                decide::decide(conn, ctx, &decider, Some(session_id), &ids, decision)
                    .map(|done| done.len())
            }
        }
    }
}

/// A form's text field: absent when empty, as a browser sends an untouched input.
pub fn form_text(value: Option<&String>) -> Field<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .cloned()
        .map_or(Field::Missing, Field::Value)
}
