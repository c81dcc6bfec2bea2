//! Use cases of the reference list: look a country up, import a new list.

use chrono::Utc;
use serde::Serialize;
use serde_json::json;

use super::domain::{parse_csv, Country};
use super::store;
use crate::audit::{self, Actor};
use crate::db::{self, Conn};
use crate::error::AppError;

/// The country a delegate typed: an alpha-2 code, or a name as the list spells it (any case).
pub fn resolve(conn: &mut Conn, typed: &str) -> Result<Option<Country>, AppError> {
    let typed = typed.trim();
    if typed.len() == 2 {
        return Ok(store::find(conn, typed)?);
    }
    let wanted = typed.to_lowercase();
    Ok(store::all(conn)?
        .into_iter()
        .find(|c| c.name.to_lowercase() == wanted))
}

/// What an import changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Countries in the new list.
    pub countries: usize,
    /// Codes that are new.
    pub added: Vec<String>,
    /// Codes no longer listed.
    pub removed: Vec<String>,
    /// Codes whose group changed, as "CODE: old → new".
    pub regrouped: Vec<String>,
}

/// What changes from `old` to `new`.
pub fn compare(old: &[Country], new: &[Country]) -> ImportReport {
    let find = |list: &[Country], code: &str| list.iter().find(|c| c.alpha2 == code).cloned();
    let mut report = ImportReport {
        countries: new.len(),
        added: Vec::new(),
        removed: Vec::new(),
        regrouped: Vec::new(),
    };
    for country in new {
        match find(old, &country.alpha2) {
            None => report.added.push(country.alpha2.clone()),
            Some(before) if before.group != country.group => report.regrouped.push(format!(
                "{}: {} → {}",
                country.alpha2,
                before.group.as_str(),
                country.group.as_str()
            )),
            Some(_) => {}
        }
    }
    for country in old {
        if find(new, &country.alpha2).is_none() {
            report.removed.push(country.alpha2.clone());
        }
    }
    report
}

/// Replaces the reference list with a CSV in the bundled format. Registrations keep the group
/// stored on them, so statistics of past sessions do not move.
pub fn import(conn: &mut Conn, actor: &Actor, csv: &str) -> Result<ImportReport, AppError> {
    let list = parse_csv(csv).map_err(|e| AppError::invalid("file", e.to_string()))?;
    if list.is_empty() {
        return Err(AppError::invalid("file", "the list has no countries"));
    }
    db::write(conn, |conn| {
        let old = store::all(conn)?;
        let report = compare(&old, &list);
        store::replace_all(conn, &list, db::micros(Utc::now()))?;
        audit::store::record(
            conn,
            actor,
            "countries.imported",
            "countries",
            "reference",
            json!(report),
        )?;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graduation_shows_as_a_change_of_group() {
        let old = parse_csv("alpha2,alpha3,name,group\nNP,NPL,Nepal,ldc\nXA,XAA,Gone,developed\n")
            .unwrap();
        let new = parse_csv(
            "alpha2,alpha3,name,group\nNP,NPL,Nepal,developing\nJP,JPN,Japan,developed\n",
        )
        .unwrap();
        let report = compare(&old, &new);
        assert_eq!(report.regrouped, vec!["NP: ldc → developing"]);
        assert_eq!(report.added, vec!["JP"]);
        assert_eq!(report.removed, vec!["XA"]);
    }
}
