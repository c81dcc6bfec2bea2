//! Who may call what: one row per route of the API and of the pages, with the status each kind
//! of caller gets. `permissions.rs` walks every row and fails on a route of src/ without a row.
//!
//! To add a route: add a row (method, path exactly as in the route attribute, body, statuses).
//! If its path has a placeholder no rule in `FILLS` knows, add a rule there too. Rows run in
//! this order, each caller in column order; `POST /sign-out` stays last, since it ends sessions.
//!
//! Body: "" sends none, "{...}" sends JSON, "form:a=1&b=2" sends a form. Unsafe requests carry
//! the caller's session cookie and CSRF token (the CSRF test checks the token itself). Bodies
//! are chosen so that an allowed caller gets a harmless answer (often 422), never a change that
//! would alter the next caller's answer.

/// The kinds of caller, in column order.
pub const CALLERS: [&str; 9] = [
    "anonymous",
    "delegate link",
    "speaker link",
    "focal point of another administration",
    "focal point of this administration",
    "rapporteur of another session",
    "rapporteur of this session",
    "organiser",
    "admin",
];

/// One route and the status each kind of caller gets.
pub struct Row {
    pub method: &'static str,
    pub path: &'static str,
    pub body: &'static str,
    pub expect: [u16; 9],
}

const fn row(
    method: &'static str,
    path: &'static str,
    body: &'static str,
    expect: [u16; 9],
) -> Row {
    Row {
        method,
        path,
        body,
        expect,
    }
}

/// Everybody gets the same status.
const fn all(status: u16) -> [u16; 9] {
    [status; 9]
}

/// Signed-in staff only: 401 without an account, `staff` with one.
const fn staff(staff: u16) -> [u16; 9] {
    [401, 401, 401, staff, staff, staff, staff, staff, staff]
}

/// Organisers (and admins) only.
const fn organisers(allowed: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, 403, allowed, allowed]
}

/// Admins only.
const fn admins(allowed: u16) -> [u16; 9] {
    [401, 401, 401, 403, 403, 403, 403, 403, allowed]
}

/// A page for any staff: anonymous visitors are sent to sign in (303).
const fn staff_page(allowed: u16) -> [u16; 9] {
    [
        303, 303, 303, allowed, allowed, allowed, allowed, allowed, allowed,
    ]
}

/// A page for organisers (and admins): anonymous visitors are sent to sign in (303), other
/// roles refused (403), like the API twin.
const fn organiser_page(allowed: u16) -> [u16; 9] {
    [303, 303, 303, 403, 403, 403, 403, allowed, allowed]
}

/// A staff page: anonymous visitors are sent to sign in (303), other roles refused (403).
const fn admin_page(allowed: u16) -> [u16; 9] {
    [303, 303, 303, 403, 403, 403, 403, 403, allowed]
}

/// Every route and page. Records: `{id}` is a scheduled session (or its meeting), to which "this"
/// rapporteur is assigned; see `FILLS`.
pub const ROWS: &[Row] = &[
    row("GET", "/healthz", "", all(200)),
    row("GET", "/readyz", "", all(200)),
    row("GET", "/metrics", "", all(200)),
    row("GET", "/static/app.css", "", all(200)),
    row("GET", "/api/v1/openapi.json", "", all(200)),
    row(
        "POST",
        "/api/v1/auth/token",
        r#"{"email":"nobody@example.org","password":"not the password"}"#,
        all(401),
    ),
    row("GET", "/api/v1/me", "", staff(200)),
    row("POST", "/api/v1/meetings", "{}", organisers(422)),
    row("GET", "/api/v1/meetings", "", all(200)),
    row("GET", "/api/v1/meetings/{id}", "", all(200)),
    row("POST", "/api/v1/sessions", "{}", organisers(422)),
    row("GET", "/api/v1/sessions", "", all(200)),
    row("GET", "/api/v1/sessions/{id}", "", all(200)),
    row(
        "PATCH",
        "/api/v1/sessions/{id}",
        r#"{"title":""}"#,
        organisers(422),
    ),
    row("POST", "/api/v1/sessions/{id}/publish", "", organisers(409)),
    row(
        "POST",
        "/api/v1/sessions/{id}/cancel",
        "{}",
        organisers(422),
    ),
    row(
        "PUT",
        "/api/v1/sessions/{id}/rapporteurs",
        r#"{"user_ids":["no-such-user"]}"#,
        organisers(422),
    ),
    row("POST", "/api/v1/users", "{}", admins(422)),
    row("GET", "/api/v1/users", "", admins(200)),
    row(
        "POST",
        "/api/v1/links/{purpose}/{record_id}/reissue",
        "",
        organisers(200),
    ),
    row(
        "POST",
        "/api/v1/links/{purpose}/{record_id}/revoke",
        "",
        organisers(200),
    ),
    row("GET", "/api/v1/audit", "", admins(200)),
    row("GET", "/", "", all(200)),
    row("GET", "/sessions/{id}", "", all(200)),
    row("GET", "/sign-in", "", all(200)),
    row(
        "POST",
        "/sign-in",
        "form:email=nobody%40example.org&password=not+the+password",
        all(401),
    ),
    row(
        "GET",
        "/staff",
        "",
        [303, 303, 303, 200, 200, 200, 200, 200, 200],
    ),
    row("GET", "/account/setup/{token}", "", all(200)),
    row(
        "POST",
        "/account/setup/{token}",
        "form:password=short&confirm=short",
        all(422),
    ),
    row("GET", "/password-reset", "", all(200)),
    row(
        "POST",
        "/password-reset",
        "form:email=nobody%40example.org",
        all(200),
    ),
    row("GET", "/password-reset/{token}", "", all(200)),
    row(
        "POST",
        "/password-reset/{token}",
        "form:password=short&confirm=short",
        all(422),
    ),
    row("GET", "/admin/users", "", admin_page(200)),
    row(
        "POST",
        "/admin/users",
        "form:email=not-an-email",
        admin_page(422),
    ),
    row("GET", "/admin/audit", "", admin_page(200)),
    // rooms
    row("POST", "/api/v1/rooms", "{}", admins(422)),
    row("GET", "/api/v1/rooms", "", staff(200)),
    row("GET", "/api/v1/rooms/{id}", "", staff(404)),
    row("PATCH", "/api/v1/rooms/{id}", "{}", admins(404)),
    row("GET", "/api/v1/rooms/{id}/availability", "", staff(422)),
    row("POST", "/api/v1/equipment", "{}", admins(422)),
    row("GET", "/api/v1/equipment", "", staff(200)),
    row("GET", "/api/v1/equipment/{id}", "", staff(404)),
    row("PATCH", "/api/v1/equipment/{id}", "{}", admins(404)),
    row(
        "POST",
        "/api/v1/sessions/{id}/bookings",
        "{}",
        organisers(422),
    ),
    row("GET", "/api/v1/sessions/{id}/bookings", "", staff(200)),
    row(
        "DELETE",
        "/api/v1/sessions/{id}/bookings/{booking_id}",
        "",
        organisers(404),
    ),
    row("GET", "/meetings/{id}/rooms", "", staff_page(200)),
    row("GET", "/meetings/{id}/equipment", "", staff_page(200)),
    row("GET", "/admin/rooms", "", admin_page(200)),
    row("POST", "/admin/rooms", "form:name=", admin_page(422)),
    row("GET", "/admin/equipment", "", admin_page(200)),
    row("POST", "/admin/equipment", "form:name=", admin_page(422)),
    // mail and calendar
    row("GET", "/api/v1/outbox", "", organisers(200)),
    row("POST", "/api/v1/outbox/{id}/retry", "", organisers(404)),
    row("GET", "/outbox", "", organiser_page(200)),
    row("GET", "/sessions/{id}/calendar.ics", "", all(200)),
    row(
        "GET",
        "/feeds/{token}.ics",
        "",
        [404, 200, 404, 404, 404, 404, 404, 404, 404],
    ),
    // registrations: "this administration" is Kenya, whose delegate holds the delegate link
    row(
        "POST",
        "/api/v1/sessions/{id}/registrations",
        "{}",
        all(422),
    ),
    row("GET", "/api/v1/registrations/{token}", "", DELEGATE_ONLY),
    // The delegate cancels here, so every decision below meets a cancelled registration (409).
    row(
        "POST",
        "/api/v1/registrations/{token}/cancel",
        "",
        DELEGATE_ONLY,
    ),
    // The page answers a second cancellation with the registration as it is.
    row("POST", "/registrations/{token}/cancel", "", DELEGATE_ONLY),
    row(
        "GET",
        "/api/v1/sessions/{id}/registrations",
        "",
        FOCAL_OR_ORGANISER,
    ),
    row(
        "GET",
        "/api/v1/sessions/{id}/registrations.csv",
        "",
        organisers(200),
    ),
    row(
        "GET",
        "/api/v1/sessions/{id}/registrations/stats",
        "",
        organisers(200),
    ),
    row("POST", "/api/v1/registrations/{id}/approve", "{}", DECIDERS),
    row("POST", "/api/v1/registrations/{id}/reject", "{}", DECIDERS),
    row(
        "POST",
        "/api/v1/sessions/{id}/registrations/bulk",
        "{}",
        [401, 401, 401, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/sessions/{id}/register", "", all(200)),
    row("POST", "/sessions/{id}/register", "form:name=", all(422)),
    row("GET", "/registrations/{token}", "", DELEGATE_ONLY),
    row("GET", "/decisions/{token}", "", all(404)),
    row(
        "POST",
        "/decisions/{token}",
        "form:action=approve",
        all(404),
    ),
    row(
        "GET",
        "/sessions/{id}/registrations",
        "",
        [303, 303, 303, 200, 200, 403, 403, 200, 200],
    ),
    row(
        "POST",
        "/sessions/{id}/registrations/bulk",
        "form:action=",
        [303, 303, 303, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "GET",
        "/sessions/{id}/registrations/stats",
        "",
        [303, 303, 303, 403, 403, 403, 403, 200, 200],
    ),
    row(
        "GET",
        "/sessions/{id}/directory",
        "",
        [404, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    // countries
    row("GET", "/api/v1/countries", "", all(200)),
    row("POST", "/api/v1/countries/import", "", admins(422)),
    row("GET", "/admin/countries", "", admin_page(200)),
    row("POST", "/admin/countries", "form:csv=", admin_page(422)),
    // Re-sending revokes the delegate's link, so it comes after every row that uses it.
    row(
        "POST",
        "/api/v1/registrations/{id}/resend-link",
        "",
        organisers(200),
    ),
    // agendas: the working copy is for organisers and the session's rapporteurs (404 for other
    // staff); only its rapporteur decides (403 for organisers, 404 for the rest). The fixture
    // session's agenda is empty and never submitted, so every step is a harmless 409 or 422.
    row(
        "GET",
        "/api/v1/sessions/{id}/agenda",
        "",
        [401, 401, 401, 404, 404, 404, 200, 200, 200],
    ),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/items",
        "{}",
        organisers(422),
    ),
    row(
        "PATCH",
        "/api/v1/sessions/{id}/agenda/items/{item_id}",
        "{}",
        organisers(404),
    ),
    row(
        "DELETE",
        "/api/v1/sessions/{id}/agenda/items/{item_id}",
        "",
        organisers(404),
    ),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/submit",
        "",
        organisers(409),
    ),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/withdraw",
        "",
        organisers(409),
    ),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/approve",
        "",
        [401, 401, 401, 404, 404, 404, 409, 403, 403],
    ),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/request-changes",
        "{}",
        [401, 401, 401, 404, 404, 404, 422, 403, 403],
    ),
    row("GET", "/api/v1/sessions/{id}/agenda/versions", "", all(200)),
    row(
        "GET",
        "/api/v1/sessions/{id}/agenda/versions/{n}",
        "",
        all(404),
    ),
    row(
        "GET",
        "/api/v1/sessions/{id}/agenda/versions/{n}/diff/{m}",
        "",
        all(404),
    ),
    row("GET", "/api/v1/sessions/{id}/programme", "", all(404)),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/start-from",
        "{}",
        organisers(422),
    ),
    row("POST", "/api/v1/sessions/{id}/copy", "{}", organisers(422)),
    row(
        "GET",
        "/sessions/{id}/agenda",
        "",
        [303, 303, 303, 404, 404, 404, 200, 200, 200],
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items",
        "form:title=x",
        organiser_page(422),
    ),
    row(
        "GET",
        "/sessions/{id}/agenda/items/{item_id}",
        "",
        organiser_page(404),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items/{item_id}",
        "form:title=x",
        organiser_page(404),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items/{item_id}/delete",
        "",
        organiser_page(404),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/submit",
        "",
        organiser_page(409),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/withdraw",
        "",
        organiser_page(409),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/start-from",
        "form:",
        organiser_page(422),
    ),
    row(
        "GET",
        "/sessions/{id}/agenda/review",
        "",
        [303, 303, 303, 404, 404, 404, 200, 200, 200],
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/review",
        "form:action=approve",
        [303, 303, 303, 404, 404, 404, 409, 403, 403],
    ),
    row("GET", "/reviews", "", staff_page(200)),
    row("GET", "/sessions/{id}/copy", "", organiser_page(200)),
    row("POST", "/sessions/{id}/copy", "form:", organiser_page(422)),
    row("POST", "/sign-out", "", all(303)),
];

/// A delegate's own registration, through their link; any other token finds nothing.
const DELEGATE_ONLY: [u16; 9] = [404, 200, 404, 404, 404, 404, 404, 404, 404];

/// Focal points see their own delegates (another administration sees an empty list), organisers all.
const FOCAL_OR_ORGANISER: [u16; 9] = [401, 401, 401, 200, 200, 403, 403, 200, 200];

/// Deciding on the Kenyan delegate's (cancelled) registration: 409 for whoever may decide; 404,
/// as if it did not exist, for staff outside its scope.
const DECIDERS: [u16; 9] = [401, 401, 401, 404, 409, 404, 404, 409, 409];

/// A record or token a placeholder is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixture {
    /// The scheduled session "this" rapporteur is assigned to.
    Session,
    /// That session's meeting.
    Meeting,
    /// A purpose name for the generic link routes.
    RegistrationPurpose,
    /// A registration whose link no caller holds (staff reissue it freely).
    SpareRegistration,
    /// A live account set-up link.
    SetupToken,
    /// A live password reset link.
    ResetToken,
    /// The caller's own registration link (the delegate's); others get a stranger's token.
    OwnRegistrationToken,
    /// The caller's own speaker invitation link (the speaker's); others get a stranger's token.
    OwnInvitationToken,
    /// An id no record has.
    Unknown,
    /// The registration of the Kenyan delegate who holds the delegate link.
    Registration,
}

/// How placeholders are filled: the first rule whose path prefix matches wins.
pub const FILLS: &[(&str, &str, Fixture)] = &[
    ("/api/v1/meetings/", "{id}", Fixture::Meeting),
    ("/meetings/", "{id}", Fixture::Meeting),
    ("/api/v1/rooms/", "{id}", Fixture::Unknown),
    ("/api/v1/equipment/", "{id}", Fixture::Unknown),
    ("/api/v1/outbox/", "{id}", Fixture::Unknown),
    ("/api/v1/registrations/", "{id}", Fixture::Registration),
    ("/registrations/", "{token}", Fixture::OwnRegistrationToken),
    ("/decisions/", "{token}", Fixture::Unknown),
    ("/api/v1/sessions/", "{booking_id}", Fixture::Unknown),
    ("/api/v1/sessions/", "{id}", Fixture::Session),
    ("/sessions/", "{id}", Fixture::Session),
    ("/api/v1/links/", "{purpose}", Fixture::RegistrationPurpose),
    ("/api/v1/links/", "{record_id}", Fixture::SpareRegistration),
    ("/account/setup/", "{token}", Fixture::SetupToken),
    ("/password-reset/", "{token}", Fixture::ResetToken),
    (
        "/api/v1/registrations/",
        "{token}",
        Fixture::OwnRegistrationToken,
    ),
    (
        "/api/v1/invitations/",
        "{token}",
        Fixture::OwnInvitationToken,
    ),
    ("/feeds/", "{token}", Fixture::OwnRegistrationToken),
    ("/api/v1/sessions/", "{item_id}", Fixture::Unknown),
    ("/sessions/", "{item_id}", Fixture::Unknown),
    ("/api/v1/sessions/", "{n}", Fixture::Unknown),
    ("/api/v1/sessions/", "{m}", Fixture::Unknown),
];
