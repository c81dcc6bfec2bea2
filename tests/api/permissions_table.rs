//! Who may call what: one row per route of the API, or per API route and its page twin(s), with
//! the status each kind of caller gets. `permissions.rs` walks every row and fails on a route the
//! app mounts without a row (or a row no route), and checks each route's declared `Access`
//! against the statuses its row expects.
//!
//! To add a route: add it to a row (method, path exactly as mounted, body), next to its twin if it
//! has one. If its path has a placeholder no rule in `FILLS` knows, add a rule there too. Rows run
//! in this order, each call of a row for every caller in column order; `POST /sign-out` stays
//! last, since it ends sessions.
//!
//! Statuses are written as the API answers them: for a page that needs an account, 401 ("not
//! signed in") is expected as a 303 to the sign-in page, and a call marked `redirecting` answers
//! 303 where the row says 200.
//! Body: "" sends none, "{...}" sends JSON, "form:a=1&b=2" sends a form. Unsafe requests carry
//! the caller's session cookie and CSRF token; each is also sent once without the token first,
//! and must answer the row's `no_csrf` status (403) and change nothing. Bodies are chosen so
//! that an allowed caller gets a harmless answer (often 422), never a change that would alter
//! the next caller's answer. Where scope matters, `seeing` names a text and, per caller, whether
//! a 200 must contain it ('y'), must not ('n'), or is not checked ('-').

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

/// One request of a row.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub method: &'static str,
    pub path: &'static str,
    pub body: &'static str,
    /// What this call answers where the row expects 200 (a page that redirects after its work).
    pub ok: u16,
}

/// A route and its twins, asked the same way, and the status each kind of caller gets.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub calls: [Option<Call>; 3],
    pub expect: [u16; 9],
    /// What an unsafe call answers every caller without the CSRF token.
    pub no_csrf: u16,
    /// A text and, per caller, 'y' (a 200 contains it), 'n' (it does not) or '-'.
    pub sees: Option<(&'static str, &'static str)>,
}

/// A call whose success is the row's status.
pub const fn call(method: &'static str, path: &'static str, body: &'static str) -> Call {
    Call {
        method,
        path,
        body,
        ok: 200,
    }
}

/// A page call that answers 303 where the row says 200.
pub const fn redirecting(method: &'static str, path: &'static str, body: &'static str) -> Call {
    Call {
        method,
        path,
        body,
        ok: 303,
    }
}

/// The status unsafe requests without the CSRF token get.
pub const NO_CSRF: u16 = 403;

const fn row(
    method: &'static str,
    path: &'static str,
    body: &'static str,
    expect: [u16; 9],
) -> Row {
    Row {
        calls: [Some(call(method, path, body)), None, None],
        expect,
        no_csrf: NO_CSRF,
        sees: None,
    }
}

/// An API route and its page twin, held to one expectation.
const fn twins(api: Call, page: Call, expect: [u16; 9]) -> Row {
    Row {
        calls: [Some(api), Some(page), None],
        expect,
        no_csrf: NO_CSRF,
        sees: None,
    }
}

impl Row {
    /// Checks what a 200 contains, per caller: `sees` is nine of 'y', 'n' or '-'.
    const fn seeing(self, text: &'static str, sees: &'static str) -> Row {
        Row {
            sees: Some((text, sees)),
            ..self
        }
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

/// The Kenyan delegate who holds the delegate link; "this administration" is Kenya.
const DELEGATE: &str = "Wanjiru Kamau";

/// Every route and page. Records: `{id}` is a scheduled session (or its meeting), to which "this"
/// rapporteur is assigned; see `FILLS`.
pub const ROWS: &[Row] = &[
    row("GET", "/healthz", "", all(200)),
    row("GET", "/readyz", "", all(200)),
    row("GET", "/metrics", "", all(200)),
    row("GET", "/static/app.css", "", all(200)),
    row("GET", "/api/v1/openapi.json", "", all(200)),
    twins(
        call(
            "POST",
            "/api/v1/auth/token",
            r#"{"email":"nobody@example.org","password":"not the password"}"#,
        ),
        call(
            "POST",
            "/sign-in",
            "form:email=nobody%40example.org&password=not+the+password",
        ),
        all(401),
    ),
    twins(
        call("GET", "/api/v1/me", ""),
        call("GET", "/staff", ""),
        staff(200),
    ),
    row("POST", "/api/v1/meetings", "{}", organisers(422)),
    twins(
        call("GET", "/api/v1/meetings", ""),
        call("GET", "/", ""),
        all(200),
    ),
    row("GET", "/api/v1/meetings/{id}", "", all(200)),
    row("POST", "/api/v1/sessions", "{}", organisers(422)),
    row("GET", "/api/v1/sessions", "", all(200)),
    twins(
        call("GET", "/api/v1/sessions/{id}", ""),
        call("GET", "/sessions/{id}", ""),
        all(200),
    ),
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
    twins(
        call("POST", "/api/v1/users", "{}"),
        call("POST", "/admin/users", "form:email=not-an-email"),
        admins(422),
    ),
    twins(
        call("GET", "/api/v1/users", ""),
        call("GET", "/admin/users", ""),
        admins(200),
    ),
    twins(
        call("POST", "/api/v1/users/{id}/sign-out-everywhere", ""),
        redirecting("POST", "/admin/users/{id}/sign-out-everywhere", ""),
        admins(200),
    ),
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
    twins(
        call("GET", "/api/v1/audit", ""),
        call("GET", "/admin/audit", ""),
        admins(200),
    ),
    row("GET", "/sign-in", "", all(200)),
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
    // rooms
    twins(
        call("POST", "/api/v1/rooms", "{}"),
        call("POST", "/admin/rooms", "form:name="),
        admins(422),
    ),
    row("GET", "/api/v1/rooms", "", staff(200)),
    row("GET", "/api/v1/rooms/{id}", "", staff(404)),
    row("PATCH", "/api/v1/rooms/{id}", "{}", admins(404)),
    row("GET", "/api/v1/rooms/{id}/availability", "", staff(422)),
    twins(
        call("POST", "/api/v1/equipment", "{}"),
        call("POST", "/admin/equipment", "form:name="),
        admins(422),
    ),
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
    row("GET", "/meetings/{id}/rooms", "", staff(200)),
    row("GET", "/meetings/{id}/equipment", "", staff(200)),
    row("GET", "/admin/rooms", "", admins(200)),
    row("GET", "/admin/equipment", "", admins(200)),
    // mail and calendar
    twins(
        call("GET", "/api/v1/outbox", ""),
        call("GET", "/outbox", ""),
        organisers(200),
    )
    .seeing("wanjiru@ca.go.ke", "-------yy"),
    row("POST", "/api/v1/outbox/{id}/retry", "", organisers(404)),
    row("GET", "/sessions/{id}/calendar.ics", "", all(200)),
    row(
        "GET",
        "/feeds/{token}.ics",
        "",
        [404, 200, 404, 404, 404, 404, 404, 404, 404],
    ),
    // registrations: "this administration" is Kenya, whose delegate holds the delegate link
    twins(
        call("POST", "/api/v1/sessions/{id}/registrations", "{}"),
        call("POST", "/sessions/{id}/register", "form:name="),
        all(422),
    ),
    twins(
        call("GET", "/api/v1/registrations/{token}", ""),
        call("GET", "/registrations/{token}", ""),
        DELEGATE_ONLY,
    )
    .seeing(DELEGATE, "-y-------"),
    // Focal points see their own administration's delegates, and nobody else's.
    twins(
        call("GET", "/api/v1/sessions/{id}/registrations", ""),
        call("GET", "/sessions/{id}/registrations", ""),
        FOCAL_OR_ORGANISER,
    )
    .seeing(DELEGATE, "---ny--yy"),
    row(
        "GET",
        "/api/v1/sessions/{id}/registrations.csv",
        "",
        organisers(200),
    )
    .seeing(DELEGATE, "-------yy"),
    // The delegate cancels here, so every decision below meets a cancelled registration (409);
    // the page answers a second cancellation with the registration as it is.
    twins(
        call("POST", "/api/v1/registrations/{token}/cancel", ""),
        call("POST", "/registrations/{token}/cancel", ""),
        DELEGATE_ONLY,
    ),
    // registrations by hand (rw): the Kenyan delegate's registration is cancelled above, so
    // cancelling again answers it as it is (303 back to its page) and moving it to a seat is 409.
    row(
        "GET",
        "/sessions/{id}/registrations/new",
        "",
        organisers(200),
    ),
    row(
        "POST",
        "/sessions/{id}/registrations/new",
        "form:name=",
        organisers(422),
    ),
    row("GET", "/registrations/{id}/manage", "", organisers(200)),
    row(
        "POST",
        "/registrations/{id}/edit",
        "form:name=",
        organisers(422),
    ),
    Row {
        calls: [
            Some(redirecting("POST", "/registrations/{id}/withdraw", "")),
            None,
            None,
        ],
        expect: organisers(200),
        no_csrf: NO_CSRF,
        sees: None,
    },
    row("POST", "/registrations/{id}/promote", "", organisers(409)),
    twins(
        call("GET", "/api/v1/sessions/{id}/registrations/stats", ""),
        call("GET", "/sessions/{id}/registrations/stats", ""),
        organisers(200),
    ),
    // registrations: statistics across a meeting and a period (rw)
    row("GET", "/meetings/{id}/statistics", "", organisers(200)),
    row("GET", "/meetings/{id}/statistics.csv", "", organisers(200)),
    row("GET", "/statistics", "", organisers(200)),
    row("GET", "/statistics.csv", "", organisers(200)),
    row("POST", "/api/v1/registrations/{id}/approve", "{}", DECIDERS),
    row("POST", "/api/v1/registrations/{id}/reject", "{}", DECIDERS),
    twins(
        call("POST", "/api/v1/sessions/{id}/registrations/bulk", "{}"),
        call("POST", "/sessions/{id}/registrations/bulk", "form:action="),
        [401, 401, 401, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/sessions/{id}/register", "", all(200)),
    row("GET", "/decisions/{token}", "", all(404)),
    row(
        "POST",
        "/decisions/{token}",
        "form:action=approve",
        all(404),
    ),
    row(
        "GET",
        "/sessions/{id}/directory",
        "",
        [404, 404, 404, 200, 200, 200, 200, 200, 200],
    ),
    // countries
    row("GET", "/api/v1/countries", "", all(200)),
    twins(
        call("POST", "/api/v1/countries/import", ""),
        call("POST", "/admin/countries", "form:csv="),
        admins(422),
    ),
    row("GET", "/admin/countries", "", admins(200)),
    // Re-sending revokes the delegate's link, so it comes after every row that uses it.
    row(
        "POST",
        "/api/v1/registrations/{id}/resend-link",
        "",
        organisers(200),
    ),
    Row {
        calls: [
            Some(redirecting("POST", "/registrations/{id}/resend", "")),
            None,
            None,
        ],
        expect: organisers(200),
        no_csrf: NO_CSRF,
        sees: None,
    },
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
        [401, 401, 401, 404, 404, 404, 200, 200, 200],
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items",
        "form:title=x",
        organisers(422),
    ),
    row(
        "GET",
        "/sessions/{id}/agenda/items/{item_id}",
        "",
        organisers(404),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items/{item_id}",
        "form:title=x",
        organisers(404),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/items/{item_id}/delete",
        "",
        organisers(404),
    ),
    row("POST", "/sessions/{id}/agenda/submit", "", organisers(409)),
    row(
        "POST",
        "/sessions/{id}/agenda/withdraw",
        "",
        organisers(409),
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/start-from",
        "form:",
        organisers(422),
    ),
    row(
        "GET",
        "/sessions/{id}/agenda/review",
        "",
        [401, 401, 401, 404, 404, 404, 200, 200, 200],
    ),
    row(
        "POST",
        "/sessions/{id}/agenda/review",
        "form:action=approve",
        [401, 401, 401, 404, 404, 404, 409, 403, 403],
    ),
    row("GET", "/reviews", "", staff(200)),
    row("GET", "/sessions/{id}/copy", "", organisers(200)),
    row("POST", "/sessions/{id}/copy", "form:", organisers(422)),
    // speakers: the directory, invitations and the dispatch board are for organisers; a speaker's
    // answers go through their secret link (the speaker link of this table names no invitation,
    // so every token finds nothing: 404); the public speaker page is 404 until a programme names
    // the speaker.
    row("POST", "/api/v1/speakers", "{}", organisers(422)),
    row("GET", "/api/v1/speakers", "", organisers(200)),
    row("GET", "/api/v1/speakers/{id}", "", organisers(404)),
    row("POST", "/api/v1/speakers/{id}/photo", "", organisers(415)),
    row("GET", "/speakers", "", organisers(200)),
    row("POST", "/speakers", "form:", organisers(422)),
    row("GET", "/speakers/{id}", "", all(404)),
    row("GET", "/speakers/{id}/photo", "", all(404)),
    row("POST", "/speakers/{id}/photo", "", organisers(415)),
    row(
        "POST",
        "/api/v1/sessions/{id}/agenda/items/{item_id}/invitations",
        "{}",
        organisers(422),
    ),
    row("GET", "/api/v1/invitations/{token}", "", all(404)),
    row("POST", "/api/v1/invitations/{token}/confirm", "", all(404)),
    row(
        "POST",
        "/api/v1/invitations/{token}/decline",
        "{\"reason\": \"busy\"}",
        all(404),
    ),
    row(
        "POST",
        "/api/v1/invitations/{token}/withdraw",
        "{}",
        all(404),
    ),
    row("PUT", "/api/v1/invitations/{token}/travel", "{}", all(404)),
    row(
        "PUT",
        "/api/v1/sessions/{id}/invitations/{invitation_id}/travel",
        "{}",
        organisers(404),
    ),
    row("GET", "/invitations/{token}", "", all(404)),
    row("POST", "/invitations/{token}/listing", "form:", all(404)),
    row("POST", "/invitations/{token}/confirm", "", all(404)),
    row(
        "POST",
        "/invitations/{token}/decline",
        "form:reason=busy",
        all(404),
    ),
    row("POST", "/invitations/{token}/withdraw", "form:", all(404)),
    row("POST", "/invitations/{token}/travel", "form:", all(404)),
    row(
        "GET",
        "/api/v1/sessions/{id}/invitations",
        "",
        organisers(200),
    ),
    row(
        "GET",
        "/api/v1/meetings/{id}/invitations",
        "",
        organisers(200),
    ),
    row(
        "GET",
        "/api/v1/sessions/{id}/invitations.csv",
        "",
        organisers(200),
    ),
    row(
        "GET",
        "/api/v1/meetings/{id}/invitations.csv",
        "",
        organisers(200),
    ),
    row("GET", "/sessions/{id}/speakers", "", organisers(200)),
    row("POST", "/sessions/{id}/speakers", "form:", organisers(422)),
    row(
        "GET",
        "/sessions/{id}/speakers/{invitation_id}",
        "",
        organisers(404),
    ),
    row(
        "POST",
        "/sessions/{id}/speakers/{invitation_id}",
        "form:",
        organisers(404),
    ),
    row("GET", "/meetings/{id}/speakers", "", organisers(200)),
    // workspace: staff pages for meetings and sessions, the session hub, the dashboard (/staff above)
    row("GET", "/staff/meetings/new", "", organisers(200)),
    row("POST", "/staff/meetings", "form:title=", organisers(422)),
    row("GET", "/staff/meetings/{id}", "", organisers(200)),
    row("GET", "/staff/meetings/{id}/edit", "", organisers(200)),
    row(
        "POST",
        "/staff/meetings/{id}/edit",
        "form:title=",
        organisers(422),
    ),
    row(
        "GET",
        "/staff/meetings/{id}/sessions/new",
        "",
        organisers(200),
    ),
    row(
        "POST",
        "/staff/meetings/{id}/sessions",
        "form:title=",
        organisers(422),
    ),
    // The hub: organisers and the session's own rapporteurs; other staff are told it does not exist.
    row(
        "GET",
        "/staff/sessions/{id}",
        "",
        [401, 401, 401, 404, 404, 404, 200, 200, 200],
    ),
    row("GET", "/staff/sessions/{id}/edit", "", organisers(200)),
    row(
        "POST",
        "/staff/sessions/{id}/edit",
        "form:title=",
        organisers(422),
    ),
    // Publishing a scheduled session is refused and said so on the hub (a 303 with a flash).
    Row {
        calls: [
            Some(redirecting("POST", "/staff/sessions/{id}/publish", "")),
            None,
            None,
        ],
        expect: organisers(200),
        no_csrf: NO_CSRF,
        sees: None,
    },
    row("GET", "/staff/sessions/{id}/cancel", "", organisers(200)),
    row(
        "POST",
        "/staff/sessions/{id}/cancel",
        "form:reason=",
        organisers(422),
    ),
    row(
        "POST",
        "/staff/sessions/{id}/bookings",
        "form:room_id=",
        organisers(422),
    ),
    row(
        "POST",
        "/staff/sessions/{id}/bookings/{booking_id}",
        "form:room_id=",
        organisers(422),
    ),
    row(
        "POST",
        "/staff/sessions/{id}/bookings/{booking_id}/release",
        "",
        organisers(404),
    ),
    row(
        "POST",
        "/staff/sessions/{id}/rapporteurs",
        "form:user_ids=no-such-user",
        organisers(422),
    ),
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
    /// An account that is none of the callers (signed out everywhere freely).
    SpareAccount,
}

/// How placeholders are filled: the first rule whose path prefix matches wins.
pub const FILLS: &[(&str, &str, Fixture)] = &[
    ("/api/v1/meetings/", "{id}", Fixture::Meeting),
    ("/staff/meetings/", "{id}", Fixture::Meeting),
    ("/staff/sessions/", "{booking_id}", Fixture::Unknown),
    ("/staff/sessions/", "{id}", Fixture::Session),
    ("/meetings/", "{id}", Fixture::Meeting),
    ("/api/v1/rooms/", "{id}", Fixture::Unknown),
    ("/api/v1/equipment/", "{id}", Fixture::Unknown),
    ("/api/v1/outbox/", "{id}", Fixture::Unknown),
    ("/api/v1/registrations/", "{id}", Fixture::Registration),
    ("/registrations/", "{token}", Fixture::OwnRegistrationToken),
    ("/registrations/", "{id}", Fixture::Registration),
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
    ("/api/v1/users/", "{id}", Fixture::SpareAccount),
    ("/admin/users/", "{id}", Fixture::SpareAccount),
    ("/invitations/", "{token}", Fixture::OwnInvitationToken),
    ("/api/v1/speakers/", "{id}", Fixture::Unknown),
    ("/speakers/", "{id}", Fixture::Unknown),
    ("/api/v1/sessions/", "{invitation_id}", Fixture::Unknown),
    ("/sessions/", "{invitation_id}", Fixture::Unknown),
];
