//! The admin page of the audit trail, with the same filters as the API.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::store::AuditFilter;
use crate::access::Admin;
use crate::input::Paging;
use crate::state::AppState;
use crate::web::render_form;
use crate::web::PageError;

#[derive(Deserialize)]
/// Filters and page of the audit page.
pub struct AuditQuery {
    record_kind: Option<String>,
    record_id: Option<String>,
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Who changed what, newest first, filterable by record.
pub async fn audit_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    _admin: Admin,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let filter = AuditFilter {
        record_kind: query.record_kind,
        record_id: query.record_id,
    };
    let paging = Paging {
        limit: Some(100),
        ..Paging::lenient(req.query_string())
    };
    let (limit, offset) = paging.bounds();
    let list = super::api::page(&state, filter.clone(), (limit, offset)).await?;
    let events: Vec<_> = list
        .items
        .iter()
        .map(|e| json!({"at": e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(), "actor": e.actor,
            "action": e.action, "record_kind": e.record_kind, "record_id": e.record_id,
            "link": format!("/admin/audit?record_kind={}&record_id={}", encode(&e.record_kind), encode(&e.record_id)),
            "changes": e.changes.to_string()}))
        .collect();
    let more = (offset + limit < list.total).then(|| {
        let kind = filter.record_kind.as_deref().unwrap_or("");
        let id = filter.record_id.as_deref().unwrap_or("");
        format!(
            "/admin/audit?offset={}&record_kind={}&record_id={}",
            offset + limit,
            encode(kind),
            encode(id)
        )
    });
    let values = json!({"events": events, "total": list.total, "filter": {"record_kind": filter.record_kind,
        "record_id": filter.record_id}, "more": more});
    Ok(render_form(&req, "admin/audit.html", values)?)
}
