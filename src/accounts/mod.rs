//! Staff accounts: invitations, passwords, sign-in and sign-out, API tokens, the staff pages.

pub mod api;
pub mod notices;
pub mod pages;
pub mod password_pages;
pub mod passwords;
pub mod service;
pub mod signin;
pub mod store;
pub mod users;
pub mod users_pages;

use actix_web::http::Method;

use crate::api;
use crate::capability::Capability;
use crate::web::routes::{Access, Routes};

/// The accounts capability, as the app lists it.
pub const CAPABILITY: Capability = Capability {
    name: "accounts",
    mount,
    reacts: None,
};

/// Mounts the routes, each with who may call it.
fn mount(r: &mut Routes) {
    api!(r, Access::Anyone, api::token);
    api!(r, Access::Staff, api::me);
    r.page(Method::GET, "/sign-in", Access::Anyone, pages::sign_in_form);
    r.page(Method::POST, "/sign-in", Access::Anyone, pages::sign_in);
    r.page(Method::POST, "/sign-out", Access::Anyone, pages::sign_out);
    // GET /staff: the dashboard, mounted by the workspace.
    r.page(
        Method::GET,
        "/account/setup/{token}",
        Access::Anyone,
        password_pages::setup_form,
    );
    r.page(
        Method::POST,
        "/account/setup/{token}",
        Access::Anyone,
        password_pages::setup,
    );
    r.page(
        Method::GET,
        "/password-reset",
        Access::Anyone,
        password_pages::reset_request_form,
    );
    r.page(
        Method::POST,
        "/password-reset",
        Access::Anyone,
        password_pages::reset_request,
    );
    r.page(
        Method::GET,
        "/password-reset/{token}",
        Access::Anyone,
        password_pages::reset_form,
    );
    r.page(
        Method::POST,
        "/password-reset/{token}",
        Access::Anyone,
        password_pages::reset,
    );
    api!(r, Access::Admin, api::create);
    api!(r, Access::Admin, api::list);
    api!(r, Access::Admin, api::sign_out_everywhere);
    r.page(
        Method::GET,
        "/admin/users",
        Access::Admin,
        users_pages::users_page,
    );
    r.page(
        Method::POST,
        "/admin/users",
        Access::Admin,
        users_pages::invite,
    );
    r.page(
        Method::POST,
        "/admin/users/{id}/sign-out-everywhere",
        Access::Admin,
        users_pages::sign_out_everywhere,
    );
}
