//! HTML for organisers and focal points: registrations with filters and bulk actions, statistics,
//! and the participants' directory.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::chart;
use super::domain::Stats;
use super::service::{self as reports, Viewer};
use crate::access::Caller;
use crate::access::{Organiser, Staff};
use crate::countries::CountryGroup;
use crate::db;
use crate::error::AppError;
use crate::input::Paging;
use crate::registrations::domain::{Attendance, Category, Status};
use crate::registrations::service;
use crate::registrations::views::ListQuery;
use crate::registrations::views::{registration_values, render_page, SessionLine};
use crate::state::AppState;
use crate::web::Lang;
use crate::web::PageError;

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

/// A session's registrations, filtered, with the bulk form and the CSV link.
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user): Staff,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let bounds = Paging::lenient(req.query_string()).bounds();
    let (query, organiser) = (query.into_inner(), user.is_organiser());
    let filter = query.filter()?;
    let id = id.into_inner();
    let (page, line) = db::run(&state.pool, move |conn| {
        let (session, meeting) = service::session_and_meeting(conn, &id)?;
        Ok((
            reports::list(conn, &user, &id, filter, bounds)?,
            SessionLine::of(&session, &meeting),
        ))
    })
    .await?;
    let rows: Vec<Value> = page
        .items
        .iter()
        .map(|r| registration_values(r, page.positions.get(&r.id).copied()))
        .collect();
    let csv_query = serde_urlencoded_query(&query);
    let pages = pages(&csv_query, bounds, page.total);
    let context = json!({
        "s": line, "rows": rows, "total": page.total, "q": query, "csv_query": csv_query, "organiser": organiser, "pages": pages,
        "statuses": names(Status::ALL, Status::as_str), "categories": names(Category::ALL, Category::as_str),
        "groups": names(&CountryGroup::ALL, |g| g.as_str()), "attendances": names(Attendance::ALL, Attendance::as_str),
        "done": req.query_string().contains("done="),
    });
    Ok(render_page(&req, "registrations/list.html", context)?)
}

/// The query strings of the previous and next pages, when there are such pages.
fn pages(filters: &str, (limit, offset): (i64, i64), total: i64) -> Value {
    let at = |offset: i64| {
        let and = if filters.is_empty() { "" } else { "&" };
        format!("{filters}{and}limit={limit}&offset={offset}")
    };
    json!({
        "prev": (offset > 0).then(|| at((offset - limit).max(0))),
        "next": (offset + limit < total).then(|| at(offset + limit)),
    })
}

fn serde_urlencoded_query(query: &ListQuery) -> String {
    let pairs = [
        ("status", &query.status),
        ("stakeholder_category", &query.stakeholder_category),
        ("country_group", &query.country_group),
        ("country", &query.country),
        ("attendance", &query.attendance),
    ];
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            out.append_pair(key, v);
        }
    }
    out.finish()
}

/// The statistics page's table, margins and chart in a language.
fn stats_table(lang: Lang, numbers: &Stats) -> Value {
    let label = |key: &str| crate::i18n::text(lang.0, &format!("registration_value_{key}"));
    let svg = chart::svg(
        numbers,
        label,
        &crate::i18n::text(lang.0, "registration_stats_chart"),
    );
    let percent = |share: f64| format!("{:.0} %", share * 100.0);
    let rows: Vec<Value> = Category::ALL
        .iter()
        .map(|c| {
            let cells: Vec<Value> = numbers
                .cells
                .iter()
                .filter(|cell| cell.stakeholder_category == *c)
                .map(|cell| json!({"t": cell.tally, "share": percent(cell.tally.share)}))
                .collect();
            let line = &numbers.by_category[c.as_str()];
            json!({"category": c.as_str(), "cells": cells, "line": line, "share": percent(line.share)})
        })
        .collect();
    let groups: Vec<Value> = CountryGroup::ALL
        .iter()
        .map(|g| json!({"group": g.as_str(), "t": numbers.by_group[g.as_str()], "share": percent(numbers.by_group[g.as_str()].share)}))
        .collect();
    let genders: Vec<Value> = numbers
        .by_gender
        .iter()
        .map(|(key, t)| {
            let label = crate::i18n::text(lang.0, &reports::gender_label(key));
            json!({"label": label, "t": t, "share": percent(t.share)})
        })
        .collect();
    json!({"rows": rows, "groups": groups, "all": numbers.all, "by_status": numbers.by_status, "svg": svg,
        "genders": genders})
}

/// Statistics: the stakeholder category × country group table and its chart.
pub async fn stats(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(_): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (session, meeting, numbers) =
        db::run(&state.pool, move |conn| reports::stats(conn, &id)).await?;
    let lang = Lang::of(&req);
    let mut context = stats_table(lang, &numbers);
    context["s"] = json!(SessionLine::of(&session, &meeting));
    Ok(render_page(&req, "registrations/stats.html", context)?)
}

/// The participants' directory: staff, or a listed participant through `?token=` after the session.
pub async fn directory(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let token = query.get("token").cloned();
    if token.is_none() && !caller.is_staff() {
        return Err(AppError::NotFound.into());
    }
    let now = state.ctx().now;
    let (session, meeting, open, people) = db::run(&state.pool, move |conn| {
        let viewer = match &token {
            Some(t) => Viewer::Link(t),
            None => Viewer::Staff,
        };
        reports::directory(conn, &id, viewer, now)
    })
    .await?;
    let people: Vec<Value> = people
        .iter()
        .map(|r| {
            let d = &r.delegate;
            json!({"name": d.name, "organisation": d.organisation, "country": d.country, "category": d.category.as_str(),
                   "email": if d.consent_share_email { Some(&d.email) } else { None }})
        })
        .collect();
    let context = json!({"s": SessionLine::of(&session, &meeting), "open": open, "people": people});
    Ok(render_page(&req, "registrations/directory.html", context)?)
}

/// The statistics page's context: table, chart, gender line, title and links.
fn wide_context(lang: Lang, numbers: &Stats, heading: String, csv: String) -> Value {
    let mut context = stats_table(lang, numbers);
    context["heading"] = json!(heading);
    context["csv"] = json!(csv);
    context
}

fn csv_response(numbers: &Stats, lang: Lang, name: &str) -> HttpResponse {
    let body = reports::stats_csv(numbers, |key| crate::i18n::text(lang.0, key));
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// Statistics across all the sessions of a meeting, with the chart and the CSV link.
pub async fn meeting_stats(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(_): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (meeting, sessions, numbers) =
        db::run(&state.pool, move |conn| reports::meeting_stats(conn, &id)).await?;
    let lang = Lang::of(&req);
    let heading = format!(
        "{}: {}",
        crate::i18n::text(lang.0, "stats_meeting_title"),
        meeting.title
    );
    let csv = format!("/meetings/{}/statistics.csv", meeting.id);
    let mut context = wide_context(lang, &numbers, heading, csv);
    context["sessions"] = json!(sessions);
    context["meeting_id"] = json!(meeting.id.to_string());
    Ok(render_page(&req, "registrations/stats_wide.html", context)?)
}

/// The statistics of a meeting as CSV (UTF-8 with a byte-order mark).
pub async fn meeting_stats_csv(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(_): Organiser,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (meeting, _, numbers) =
        db::run(&state.pool, move |conn| reports::meeting_stats(conn, &id)).await?;
    let name = format!("statistics-{}.csv", meeting.id);
    Ok(csv_response(&numbers, Lang::of(&req), &name))
}

/// The period asked for (`from`, `to` as YYYY-MM-DD), this calendar year by default; a date
/// that does not read is reported beside its field.
fn period(
    query: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> (chrono::NaiveDate, chrono::NaiveDate, Value) {
    use chrono::{Datelike, NaiveDate};
    let year = today.year();
    let mut errors = serde_json::Map::new();
    let mut read = |key: &str, default: NaiveDate| match query.get(key).map(|v| v.trim()) {
        None | Some("") => default,
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.insert(key.into(), json!("must be a date as YYYY-MM-DD"));
            default
        }),
    };
    let from = read("from", NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today));
    let to = read("to", NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today));
    (from, to, Value::Object(errors))
}

/// Statistics across every meeting of a period.
pub async fn period_stats(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(_): Organiser,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (from, to, errors) = period(&query, state.ctx().now.date_naive());
    let (meetings, sessions, numbers) = db::run(&state.pool, move |conn| {
        reports::period_stats(conn, from, to)
    })
    .await?;
    let lang = Lang::of(&req);
    let heading = format!(
        "{}: {from} – {to}",
        crate::i18n::text(lang.0, "stats_period_title")
    );
    let csv = format!("/statistics.csv?from={from}&to={to}");
    let mut context = wide_context(lang, &numbers, heading, csv);
    let titles: Vec<Value> = meetings
        .iter()
        .map(|m| json!({"id": m.id.to_string(), "title": m.title}))
        .collect();
    context["period"] = json!({"from": from.to_string(), "to": to.to_string(), "errors": errors,
        "typed_from": query.get("from"), "typed_to": query.get("to")});
    context["meetings"] = json!(titles);
    context["sessions"] = json!(sessions);
    Ok(render_page(&req, "registrations/stats_wide.html", context)?)
}

/// The statistics of a period as CSV.
pub async fn period_stats_csv(
    state: web::Data<AppState>,
    req: HttpRequest,
    Organiser(_): Organiser,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (from, to, _) = period(&query, state.ctx().now.date_naive());
    let (_, _, numbers) = db::run(&state.pool, move |conn| {
        reports::period_stats(conn, from, to)
    })
    .await?;
    let name = format!("statistics-{from}-{to}.csv");
    Ok(csv_response(&numbers, Lang::of(&req), &name))
}
