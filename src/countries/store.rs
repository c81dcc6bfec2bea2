//! The countries table: the reference list admins can update, seeded from the bundled CSV.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Country, CountryGroup};
use crate::db::schema::countries;
use crate::db::Conn;

/// A country as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = countries)]
pub struct CountryRow {
    pub alpha2: String,
    pub alpha3: String,
    pub name: String,
    pub country_group: String,
    pub updated_at: NaiveDateTime,
}

impl CountryRow {
    /// The domain value; an unknown group is a corrupt row.
    pub fn into_domain(self) -> QueryResult<Country> {
        let group = CountryGroup::parse(&self.country_group).ok_or_else(|| {
            diesel::result::Error::DeserializationError(
                format!("country {}: bad group", self.alpha2).into(),
            )
        })?;
        Ok(Country {
            alpha2: self.alpha2,
            alpha3: self.alpha3,
            name: self.name,
            group,
        })
    }
}

/// Every country, by name.
pub fn all(conn: &mut Conn) -> QueryResult<Vec<Country>> {
    countries::table
        .order(countries::name.asc())
        .select(CountryRow::as_select())
        .load(conn)?
        .into_iter()
        .map(CountryRow::into_domain)
        .collect()
}

/// One country by its alpha-2 code (upper-case).
pub fn find(conn: &mut Conn, alpha2: &str) -> QueryResult<Option<Country>> {
    countries::table
        .find(alpha2.to_ascii_uppercase())
        .select(CountryRow::as_select())
        .first(conn)
        .optional()?
        .map(CountryRow::into_domain)
        .transpose()
}

/// Replaces the whole list inside the caller's transaction.
pub fn replace_all(conn: &mut Conn, list: &[Country], now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(countries::table).execute(conn)?;
    for country in list {
        let row = CountryRow {
            alpha2: country.alpha2.clone(),
            alpha3: country.alpha3.clone(),
            name: country.name.clone(),
            country_group: country.group.as_str().into(),
            updated_at: now,
        };
        diesel::insert_into(countries::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(())
}
