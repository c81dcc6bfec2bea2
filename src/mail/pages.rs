//! The staff page of the outbox: what was sent, what waits, and what failed and why.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::api::status_filter;
use super::service;
use super::store::OutboxRow;
use crate::access::Organiser;
use crate::db;
use crate::input::Paging;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::{render, Lang};

/// `?status=&limit=&offset=` of the page.
#[derive(Debug, Deserialize)]
pub struct OutboxPageQuery {
    pub status: Option<String>,
}

#[derive(Serialize)]
struct Line {
    created: String,
    to: String,
    to_name: String,
    subject: String,
    status: String,
    status_key: String,
    attempts: i32,
    next_attempt: String,
    sent: Option<String>,
    last_error: Option<String>,
    calendar_method: Option<String>,
}

fn when(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

impl Line {
    fn of(row: OutboxRow) -> Line {
        Line {
            created: when(row.created_at),
            next_attempt: when(row.next_attempt_at),
            sent: row.sent_at.map(when),
            to: row.to_email,
            to_name: row.to_name,
            subject: row.subject,
            status_key: format!("outbox_status_{}", row.status),
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            calendar_method: row.calendar_method,
        }
    }
}

/// Links to the previous and next pages, keeping the filter.
fn page_link(status: &str, limit: i64, offset: i64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !status.is_empty() {
        query.append_pair("status", status);
    }
    query.append_pair("limit", &limit.to_string());
    query.append_pair("offset", &offset.to_string());
    format!("/outbox?{}", query.finish())
}

/// The outbox, newest first, filtered by status, a page at a time.
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    _organiser: Organiser,
    query: web::Query<OutboxPageQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let status = status_filter(query.status.as_deref())?;
    let (limit, offset) = Paging::lenient(req.query_string()).bounds();
    let (rows, total) = db::run(&state.pool, move |conn| {
        service::list(conn, status, limit, offset)
    })
    .await?;
    let chosen = status.map(|s| s.as_str()).unwrap_or("");
    let lines: Vec<Line> = rows.into_iter().map(Line::of).collect();
    let shown_to = offset + i64::try_from(lines.len()).unwrap_or(0);
    let statuses = ["queued", "sending", "sent", "failed"]
        .map(|s| serde_json::json!({"value": s, "key": format!("outbox_status_{s}")}));
    let values = serde_json::json!({
        "lines": lines,
        "total": total,
        "status": chosen,
        "statuses": statuses,
        "from": if lines.is_empty() { 0 } else { offset + 1 },
        "to": shown_to,
        "previous": (offset > 0).then(|| page_link(chosen, limit, (offset - limit).max(0))),
        "next": (shown_to < total).then(|| page_link(chosen, limit, shown_to)),
    });
    Ok(render(Lang::of(&req), "outbox/list.html", values)?)
}
