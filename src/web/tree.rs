//! Mounts routes as a tree of scopes, one per path segment, so a request is matched against the
//! few routes under its own prefix instead of against every route in turn.
//!
//! actix matches a pattern with a dynamic segment (`/sessions/{id}`) by a regular expression, and
//! a flat list of ~190 such resources made every request try them one after the other: the
//! router took more than half of the time of a cached public page. Scopes whose prefix is a
//! literal segment are compared as text; below a node, a single shared dynamic segment becomes a
//! scope of its own (`/{id}`), so the expression runs once for all the routes under it.
//!
//! The order of matching is: literal children first, then the dynamic ones, then the node's own
//! routes. Where a node's dynamic children name their segment differently (`{id}` and
//! `{token}`), they stay flat resources at that node, tried in the order they were added, as
//! before. A request that enters a scope and matches none of its routes gets `fallback`
//! (404, or 405 with `Allow` for a known path).

use actix_web::web;

/// Adds one route's resource to a config, at a path relative to the scope it lands in.
pub type Mount = Box<dyn FnOnce(&mut web::ServiceConfig, &str)>;

/// Mounts every `(path, mount)` under `cfg` as a tree of scopes.
pub fn mount(
    cfg: &mut web::ServiceConfig,
    routes: Vec<(String, Mount)>,
    fallback: fn() -> actix_web::Route,
) {
    let routes = routes
        .into_iter()
        .map(|(path, mount)| (segments(&path), mount))
        .collect();
    place(cfg, routes, fallback, true);
}

type Branch = Vec<(Vec<String>, Mount)>;

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_dynamic(segment: &str) -> bool {
    segment.contains('{')
}

fn place(
    cfg: &mut web::ServiceConfig,
    routes: Branch,
    fallback: fn() -> actix_web::Route,
    root: bool,
) {
    let mut here = Vec::new();
    let mut literal: Vec<(String, Branch)> = Vec::new();
    let mut dynamic: Branch = Vec::new();
    for (mut segments, mount) in routes {
        if segments.is_empty() {
            here.push(mount);
        } else if is_dynamic(&segments[0]) {
            dynamic.push((segments, mount));
        } else {
            let first = segments.remove(0);
            match literal.iter_mut().find(|(name, _)| *name == first) {
                Some((_, branch)) => branch.push((segments, mount)),
                None => literal.push((first, vec![(segments, mount)])),
            }
        }
    }
    for (name, branch) in literal {
        scope(cfg, &name, branch, fallback);
    }
    let shared = dynamic.first().map(|(s, _)| s[0].clone());
    match shared {
        Some(name) if dynamic.iter().all(|(s, _)| s[0] == name) => {
            let branch = dynamic
                .into_iter()
                .map(|(s, m)| (s[1..].to_vec(), m))
                .collect();
            scope(cfg, &name, branch, fallback);
        }
        _ => {
            for (segments, mount) in dynamic {
                mount(cfg, &format!("/{}", segments.join("/")));
            }
        }
    }
    let at = if root { "/" } else { "" };
    for mount in here {
        mount(cfg, at);
    }
}

fn scope(
    cfg: &mut web::ServiceConfig,
    name: &str,
    branch: Branch,
    fallback: fn() -> actix_web::Route,
) {
    cfg.service(
        web::scope(&format!("/{name}"))
            .configure(move |inner| place(inner, branch, fallback, false))
            .default_service(fallback()),
    );
}
