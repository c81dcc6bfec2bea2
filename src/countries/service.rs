//! Use cases of the reference list: look a country up, import a new list.

use chrono::Utc;
use serde::Serialize;
use serde_json::json;

use super::domain::{parse_csv, Country};
use super::store;
use crate::audit::Actor;
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

/// What an import adds, changes and removes: a preview until an admin confirms it.
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
    /// Codes whose name or alpha-3 code changed, as "CODE: name \"old\" → \"new\"".
    pub changed: Vec<String>,
    /// True once the list was replaced; false for a preview, which changed nothing.
    pub applied: bool,
    /// Fingerprint of the list the preview was compared with; confirming with it applies the
    /// import only if nobody replaced the list in between.
    pub based_on: String,
}

impl ImportReport {
    /// True when the import would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.regrouped.is_empty()
            && self.changed.is_empty()
    }
}

/// What changes from `old` to `new`.
pub fn compare(old: &[Country], new: &[Country]) -> ImportReport {
    let find = |list: &[Country], code: &str| list.iter().find(|c| c.alpha2 == code).cloned();
    let mut report = ImportReport {
        countries: new.len(),
        added: Vec::new(),
        removed: Vec::new(),
        regrouped: Vec::new(),
        changed: Vec::new(),
        applied: false,
        based_on: fingerprint(old),
    };
    for country in new {
        let Some(before) = find(old, &country.alpha2) else {
            report.added.push(country.alpha2.clone());
            continue;
        };
        if before.group != country.group {
            report.regrouped.push(format!(
                "{}: {} → {}",
                country.alpha2,
                before.group.as_str(),
                country.group.as_str()
            ));
        }
        if before.name != country.name {
            report.changed.push(format!(
                "{}: name {:?} → {:?}",
                country.alpha2, before.name, country.name
            ));
        }
        if before.alpha3 != country.alpha3 {
            report.changed.push(format!(
                "{}: alpha-3 {} → {}",
                country.alpha2, before.alpha3, country.alpha3
            ));
        }
    }
    for country in old {
        if find(new, &country.alpha2).is_none() {
            report.removed.push(country.alpha2.clone());
        }
    }
    report
}

/// A short fingerprint of a list, the same whatever order it is given in.
pub fn fingerprint(list: &[Country]) -> String {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<String> = list
        .iter()
        .map(|c| {
            format!(
                "{}\t{}\t{}\t{}",
                c.alpha2,
                c.alpha3,
                c.name,
                c.group.as_str()
            )
        })
        .collect();
    lines.sort();
    hex::encode(&Sha256::digest(lines.join("\n").as_bytes())[..12])
}

fn parse(csv: &str) -> Result<Vec<Country>, AppError> {
    let list = parse_csv(csv).map_err(|e| AppError::invalid("file", e.to_string()))?;
    if list.is_empty() {
        return Err(AppError::invalid("file", "the list has no countries"));
    }
    Ok(list)
}

/// What importing the CSV would add, change and remove, without changing anything.
pub fn preview(conn: &mut Conn, csv: &str) -> Result<ImportReport, AppError> {
    let list = parse(csv)?;
    Ok(compare(&store::all(conn)?, &list))
}

/// Replaces the reference list with a CSV in the bundled format, once an admin has seen the
/// preview: with `based_on` (the preview's fingerprint) it answers 409 if the list changed since.
/// Registrations keep the group stored on them, so statistics of past sessions do not move.
pub fn import(
    conn: &mut Conn,
    actor: &Actor,
    csv: &str,
    based_on: Option<&str>,
) -> Result<ImportReport, AppError> {
    let list = parse(csv)?;
    db::write(conn, |conn| {
        let old = store::all(conn)?;
        let mut report = compare(&old, &list);
        if based_on.is_some_and(|seen| seen != report.based_on) {
            return Err(AppError::conflict(
                "the countries list changed since this import was previewed; preview it again",
            ));
        }
        store::replace_all(conn, &list, db::micros(Utc::now()))?;
        report.applied = true;
        crate::audit::store::record(
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

/// Fills an empty countries table from the list bundled with the binary
/// (data/reference/countries.csv, the one source of it); a table that holds countries, perhaps
/// imported by an admin, is left as it is. Answers how many were added.
pub fn seed(conn: &mut Conn, now: chrono::DateTime<chrono::Utc>) -> Result<usize, AppError> {
    db::write(conn, |conn| {
        if !store::all(conn)?.is_empty() {
            return Ok(0);
        }
        let list = super::domain::bundled()
            .map_err(|e| AppError::Internal(format!("data/reference/countries.csv: {e}")))?;
        store::replace_all(conn, &list, db::micros(now))?;
        Ok(list.len())
    })
}

/// Refuses (422 on `field`) a country code the countries table does not hold.
pub fn require(conn: &mut Conn, field: &str, code: &str) -> Result<(), AppError> {
    match store::find(conn, code)? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid(field, "no country has this code")),
    }
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
        assert!(!report.applied);
    }

    #[test]
    fn a_new_name_or_alpha3_shows_as_a_change_and_the_same_list_as_none() {
        let old = parse_csv("alpha2,alpha3,name,group\nTR,TUR,Turkey,developing\n").unwrap();
        let new = parse_csv("alpha2,alpha3,name,group\nTR,TUR,Türkiye,developing\n").unwrap();
        assert_eq!(
            compare(&old, &new).changed,
            vec!["TR: name \"Turkey\" → \"Türkiye\""]
        );
        assert!(compare(&old, &old).is_empty());
    }

    #[test]
    fn the_fingerprint_ignores_order_and_sees_every_change() {
        let a = parse_csv(
            "alpha2,alpha3,name,group\nJP,JPN,Japan,developed\nKE,KEN,Kenya,developing\n",
        )
        .unwrap();
        let b = parse_csv(
            "alpha2,alpha3,name,group\nKE,KEN,Kenya,developing\nJP,JPN,Japan,developed\n",
        )
        .unwrap();
        let c = parse_csv("alpha2,alpha3,name,group\nKE,KEN,Kenya,ldc\nJP,JPN,Japan,developed\n")
            .unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
