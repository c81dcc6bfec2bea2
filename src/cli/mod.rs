//! The command line: `serve`, `migrate`, `user add`, `demo`, `outbox send`, `reminders send`.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::access::domain::FocalScope;
use crate::access::Role;
use crate::accounts::service as accounts;
use crate::audit::Actor;
use crate::config::Settings;
use crate::{app, db};

pub mod demo;
pub mod demo_programme;
pub mod reminders;
pub mod speakers;

/// Sessions and seminars held alongside ITU-D Study Group 1 and Rapporteur Group meetings.
#[derive(Debug, Parser)]
#[command(name = "seminars", version, about)]
pub struct Cli {
    /// A settings file applied over config/default.toml (environment variables still win).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the web pages, the API and the mail worker.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load a realistic example meeting (safe to run twice).
    Demo,
    /// Work with the mail outbox.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
    /// Remind confirmed delegates of their session (`[reminders]` in the settings).
    Reminders {
        #[command(subcommand)]
        command: RemindersCommand,
    },
    /// Manage the countries reference list.
    Countries {
        #[command(subcommand)]
        command: CountriesCommand,
    },
    /// Queue the reminders of speakers' unanswered invitations that are due now (one pass).
    Remind,
}

/// Reference list commands.
#[derive(Debug, Subcommand)]
pub enum CountriesCommand {
    /// Show what a CSV (alpha2,alpha3,name,group) adds, changes and removes; with --yes, replace
    /// the list with it. Registrations keep their group.
    Import {
        /// The CSV file, as data/reference/countries.csv.
        file: PathBuf,
        /// Apply the import (without it nothing changes).
        #[arg(long)]
        yes: bool,
    },
}

/// Reminder commands.
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Queue every reminder due now, once (never twice, even with the server running).
    Send,
}

/// Outbox commands.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Deliver every message that is due now, once, and report how many were sent or failed.
    Send,
}

/// Account commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (or update it); the password is read from standard input.
    Add {
        /// The sign-in address (stored in lower case).
        #[arg(long)]
        email: String,
        /// The name shown to others.
        #[arg(long)]
        name: String,
        /// admin, organiser, rapporteur or focal_point; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// A focal point's administration, by ISO 3166-1 alpha-2 code (e.g. KE).
        #[arg(long, value_name = "CODE", conflicts_with = "entity")]
        country: Option<String>,
        /// A focal point's Sector Member or other entity, by name.
        #[arg(long, value_name = "NAME")]
        entity: Option<String>,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| "use admin, organiser, rapporteur or focal_point".into())
}

/// Runs the command line and answers the process exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    init_tracing();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("seminars: {e}");
            return 2;
        }
    };
    let result = match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    roles,
                    country,
                    entity,
                },
        } => {
            // Refused before the password is read or the database opened, like a bad argument.
            let roles: BTreeSet<Role> = roles.into_iter().collect();
            let scope = match focal_scope(&roles, country, entity) {
                Ok(scope) => scope,
                Err(message) => {
                    eprintln!("seminars: {message}");
                    return 2;
                }
            };
            match open(&settings) {
                Err(e) => Err(e),
                Ok(pool) => match known_scope(&pool, scope) {
                    Ok(scope) => add_user(&settings, &pool, email, name, roles, scope),
                    Err(message) => {
                        eprintln!("seminars: {message}");
                        return 2;
                    }
                },
            }
        }
        Command::Demo => demo::load(&settings).map(|report| println!("{report}")),
        Command::Outbox {
            command: OutboxCommand::Send,
        } => send_outbox(settings),
        Command::Reminders {
            command: RemindersCommand::Send,
        } => reminders::send(&settings),
        Command::Countries {
            command: CountriesCommand::Import { file, yes },
        } => import_countries(&settings, &file, yes),
        Command::Remind => speakers::remind(&settings),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("seminars: {e}");
            1
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn serve(settings: Settings) -> Result<(), String> {
    let public_url = settings.server.public_url.clone();
    crate::ops::memory::limit_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let reminders = reminders::schedule(settings.clone());
        let application = app::build(settings)?;
        let trimming = crate::ops::memory::keep_trimming();
        tracing::info!(listen = %application.addr, "seminars started");
        println!(
            "seminars is running: open {public_url} (listening on http://{})",
            application.addr
        );
        let served = application.server.await.map_err(|e| e.to_string());
        reminders.abort();
        trimming.abort();
        // The server has finished its requests; the worker finishes the message in flight.
        if let Some(worker) = application.worker {
            worker.stop().await;
        }
        served
    })
}

fn send_outbox(settings: Settings) -> Result<(), String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    drop(conn);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let worker = crate::mail::worker::Worker::new(pool, std::sync::Arc::new(settings))?;
        let report = worker
            .pass(chrono::Utc::now(), None)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "{} sent, {} queued again for a later attempt, {} failed",
            report.sent, report.retried, report.failed
        );
        Ok(())
    })
}

fn migrate(settings: &Settings) -> Result<(), String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let applied = app::migrate(&mut conn)?;
    println!("{applied} migration(s) applied; the database is up to date");
    Ok(())
}

/// The scope `--country` or `--entity` gives, checked as the admin page checks it.
fn focal_scope(
    roles: &BTreeSet<Role>,
    country: Option<String>,
    entity: Option<String>,
) -> Result<Option<FocalScope>, String> {
    let scope = country
        .map(FocalScope::Country)
        .or(entity.map(FocalScope::Entity));
    match accounts::scope_columns(roles, scope.clone()) {
        Ok(_) => Ok(scope),
        Err(_) if roles.contains(&Role::FocalPoint) && scope.is_none() => {
            Err("a focal point needs --country CODE or --entity NAME (the administration or entity whose registrations they decide)".into())
        }
        Err(_) if !roles.contains(&Role::FocalPoint) => {
            Err("--country and --entity are for a focal point only (add --role focal_point)".into())
        }
        Err(e) => Err(format!("--country/--entity: {}", e.one_line())),
    }
}

/// The database, migrated.
fn open(settings: &Settings) -> Result<db::Pool, String> {
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    Ok(pool)
}

/// A focal point's country must be in the countries table (which `migrate` fills).
fn known_scope(pool: &db::Pool, scope: Option<FocalScope>) -> Result<Option<FocalScope>, String> {
    let Some(FocalScope::Country(code)) = &scope else {
        return Ok(scope);
    };
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let code = code.trim().to_ascii_uppercase();
    crate::countries::service::require(&mut conn, "--country", &code)
        .map_err(|_| format!("--country {code}: no country has this code"))?;
    Ok(scope)
}

fn add_user(
    settings: &Settings,
    pool: &db::Pool,
    email: String,
    name: String,
    roles: BTreeSet<Role>,
    scope: Option<FocalScope>,
) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let new = accounts::NewUser {
        email,
        name,
        roles,
        password: Some(password),
        scope,
    };
    let user = accounts::add_user(&mut conn, &settings.auth, &Actor::Cli, new)
        .map_err(|e| e.one_line())?;
    let scope = match user.focal_scope() {
        Some(FocalScope::Country(code)) => format!("; focal point for {code}"),
        Some(FocalScope::Entity(name)) => format!("; focal point for {name}"),
        None => String::new(),
    };
    println!(
        "account {} ({}) ready with roles: {}{scope}",
        user.email,
        user.id,
        crate::access::domain::format_roles(&user.roles)
    );
    Ok(())
}

fn import_countries(settings: &Settings, file: &std::path::Path, yes: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    app::migrate(&mut conn)?;
    let service = crate::countries::service::preview;
    let preview =
        service(&mut conn, &text).map_err(|e| format!("{}: {}", file.display(), e.one_line()))?;
    println!(
        "{} countries in {}; added ({}): {}; group changed ({}): {}; name or code changed ({}): {}; removed ({}): {}",
        preview.countries,
        file.display(),
        preview.added.len(),
        list_or_none(&preview.added),
        preview.regrouped.len(),
        list_or_none(&preview.regrouped),
        preview.changed.len(),
        list_or_none(&preview.changed),
        preview.removed.len(),
        list_or_none(&preview.removed)
    );
    if preview.is_empty() {
        println!("the list is unchanged: nothing to import");
        return Ok(());
    }
    if !yes {
        println!("nothing changed yet: run again with --yes to replace the list");
        return Ok(());
    }
    let report =
        crate::countries::service::import(&mut conn, &Actor::Cli, &text, Some(&preview.based_on))
            .map_err(|e| format!("{}: {}", file.display(), e.one_line()))?;
    println!("{} countries imported", report.countries);
    Ok(())
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
