//! Countries and their group (developed, developing, LDC) from the reference list shipped in the repo.

use std::collections::HashSet;

pub use super::csv::CsvError;
use super::csv::{records, Record};

const HEADER: [&str; 4] = ["alpha2", "alpha3", "name", "group"];

const BUNDLED_CSV: &str = include_str!("../../data/reference/countries.csv");

/// The group a delegate's country belongs to; see `data/reference/countries.md` for the sources.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CountryGroup {
    Developed,
    Developing,
    Ldc,
}

impl CountryGroup {
    /// Every group, in the order reports list them.
    pub const ALL: [CountryGroup; 3] = [
        CountryGroup::Developed,
        CountryGroup::Developing,
        CountryGroup::Ldc,
    ];

    /// The name used in the CSV, the database and the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            CountryGroup::Developed => "developed",
            CountryGroup::Developing => "developing",
            CountryGroup::Ldc => "ldc",
        }
    }

    /// Reads a group from the name `as_str` gives it.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|group| group.as_str() == s)
    }
}

/// An ISO 3166-1 country or territory and its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub alpha2: String,
    pub alpha3: String,
    pub name: String,
    pub group: CountryGroup,
}

/// Parses the reference CSV (header `alpha2,alpha3,name,group`, RFC 4180 quoting), validating
/// codes (2/3 upper-case letters), groups, and duplicates; every error names its line.
pub fn parse_csv(text: &str) -> Result<Vec<Country>, CsvError> {
    let mut records = records(text)?.into_iter();
    match records.next() {
        Some(header) if header.fields == HEADER => {}
        Some(header) => {
            return Err(CsvError::new(
                header.line,
                format!("the header must be {}", HEADER.join(",")),
            ))
        }
        None => return Err(CsvError::new(1, "the file is empty")),
    }
    let mut alpha2s = HashSet::new();
    let mut alpha3s = HashSet::new();
    records
        .map(|record| {
            let line = record.line;
            let country = country(record)?;
            unique(&mut alpha2s, &country.alpha2, line)?;
            unique(&mut alpha3s, &country.alpha3, line)?;
            Ok(country)
        })
        .collect()
}

/// The list shipped in the repo (`data/reference/countries.csv`, compiled in); the
/// countries::domain tests parse it, so a broken copy fails the build's tests, not a start-up.
pub fn bundled() -> Result<Vec<Country>, CsvError> {
    parse_csv(BUNDLED_CSV)
}

/// Finds a country by alpha-2 code, case-insensitively.
pub fn find<'a>(list: &'a [Country], alpha2: &str) -> Option<&'a Country> {
    list.iter()
        .find(|country| country.alpha2.eq_ignore_ascii_case(alpha2))
}

fn country(record: Record) -> Result<Country, CsvError> {
    let line = record.line;
    let [alpha2, alpha3, name, group] =
        <[String; 4]>::try_from(record.fields).map_err(|fields| {
            CsvError::new(line, format!("expected 4 fields, found {}", fields.len()))
        })?;
    let alpha2 = code(line, "alpha2", alpha2, 2)?;
    let alpha3 = code(line, "alpha3", alpha3, 3)?;
    if name.trim().is_empty() {
        return Err(CsvError::new(line, "the name is empty"));
    }
    if crate::input::has_forbidden(&name) {
        return Err(CsvError::new(line, "the name holds a control character"));
    }
    let group = CountryGroup::parse(&group)
        .ok_or_else(|| CsvError::new(line, format!("unknown group {group:?}")))?;
    Ok(Country {
        alpha2,
        alpha3,
        name,
        group,
    })
}

fn unique(seen: &mut HashSet<String>, code: &str, line: usize) -> Result<(), CsvError> {
    if seen.insert(code.to_owned()) {
        Ok(())
    } else {
        Err(CsvError::new(line, format!("duplicate code {code}")))
    }
}

fn code(line: usize, column: &str, value: String, len: usize) -> Result<String, CsvError> {
    if value.len() == len && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(CsvError::new(
            line,
            format!("{column} must be {len} upper-case letters, found {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "alpha2,alpha3,name,group\n";

    fn error_of(body: &str) -> CsvError {
        parse_csv(&format!("{HEAD}{body}")).unwrap_err()
    }

    fn group_of(alpha2: &str) -> CountryGroup {
        find(&bundled().unwrap(), alpha2).unwrap().group
    }

    #[test]
    fn bundled_list_has_all_249_iso_3166_1_codes() {
        assert_eq!(bundled().unwrap().len(), 249);
    }

    #[test]
    fn bundled_codes_are_unique() {
        let list = bundled().unwrap();
        let alpha2s: HashSet<_> = list.iter().map(|c| &c.alpha2).collect();
        let alpha3s: HashSet<_> = list.iter().map(|c| &c.alpha3).collect();
        assert_eq!(alpha2s.len(), list.len());
        assert_eq!(alpha3s.len(), list.len());
    }

    #[test]
    fn bundled_list_has_exactly_44_ldcs() {
        let list = bundled().unwrap();
        let ldcs = list.iter().filter(|c| c.group == CountryGroup::Ldc);
        assert_eq!(ldcs.count(), 44);
    }

    #[test]
    fn japan_is_developed_kenya_developing_and_nepal_an_ldc() {
        assert_eq!(group_of("JP"), CountryGroup::Developed);
        assert_eq!(group_of("KE"), CountryGroup::Developing);
        assert_eq!(group_of("NP"), CountryGroup::Ldc);
    }

    #[test]
    fn bhutan_and_sao_tome_are_developing_since_they_graduated() {
        assert_eq!(group_of("BT"), CountryGroup::Developing);
        assert_eq!(group_of("ST"), CountryGroup::Developing);
    }

    #[test]
    fn bundled_names_keep_their_accents_and_commas() {
        assert_eq!(
            find(&bundled().unwrap(), "CI").unwrap().name,
            "Côte d'Ivoire"
        );
        assert_eq!(find(&bundled().unwrap(), "TR").unwrap().name, "Türkiye");
        assert_eq!(
            find(&bundled().unwrap(), "KR").unwrap().name,
            "Korea, Republic of"
        );
    }

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find(&bundled().unwrap(), "jp").unwrap().alpha3, "JPN");
        assert_eq!(find(&bundled().unwrap(), "Jp").unwrap().alpha3, "JPN");
        assert!(find(&bundled().unwrap(), "XX").is_none());
    }

    #[test]
    fn every_group_reads_back_from_its_name() {
        for group in CountryGroup::ALL {
            assert_eq!(CountryGroup::parse(group.as_str()), Some(group));
        }
        assert_eq!(CountryGroup::parse("LDC"), None);
    }

    #[test]
    fn a_name_with_a_nul_is_refused_with_its_line() {
        let error = error_of("JP,JPN,Japan,developed\nXA,XAA,\"Nul\0\",ldc\n");
        assert_eq!(error.line, 3);
    }

    #[test]
    fn quoted_fields_keep_commas_doubled_quotes_and_line_breaks() {
        let text = "alpha2,alpha3,name,group\r\n\"KR\",KOR,\"Korea, \"\"South\"\"\",developing\r\nXA,XAA,\"Two\nlines\",ldc";
        let list = parse_csv(text).unwrap();
        assert_eq!(list[0].name, "Korea, \"South\"");
        assert_eq!(list[0].alpha2, "KR");
        assert_eq!(list[1].name, "Two\nlines");
        assert_eq!(list[1].group, CountryGroup::Ldc);
    }

    #[test]
    fn blank_lines_and_a_byte_order_mark_are_ignored() {
        let text = format!("\u{feff}{HEAD}JP,JPN,Japan,developed\n\n");
        assert_eq!(parse_csv(&text).unwrap().len(), 1);
    }

    #[test]
    fn a_bad_group_names_its_line() {
        let error = error_of("JP,JPN,Japan,developed\nKE,KEN,Kenya,emerging\n");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("emerging"), "{error}");
    }

    #[test]
    fn a_duplicate_code_names_its_line() {
        let error = error_of("JP,JPN,Japan,developed\nJP,JPX,Japan again,developed\n");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("duplicate code JP"), "{error}");
        assert_eq!(
            error_of("JP,JPN,Japan,developed\nJX,JPN,Japan,developed\n").line,
            3
        );
    }

    #[test]
    fn a_wrong_column_count_names_its_line() {
        let error = error_of("JP,JPN,Japan,developed\nKE,KEN,Kenya\n");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("found 3"), "{error}");
        assert_eq!(error_of("KE,KEN,Kenya,developing,extra\n").line, 2);
    }

    #[test]
    fn an_unterminated_quote_names_the_line_it_opens_on() {
        let error =
            error_of("JP,JPN,Japan,developed\nKE,KEN,\"Kenya,developing\nNP,NPL,Nepal,ldc\n");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("never closed"), "{error}");
    }

    #[test]
    fn codes_must_be_upper_case_letters_of_the_right_length() {
        assert_eq!(error_of("jp,JPN,Japan,developed\n").line, 2);
        assert_eq!(error_of("JP,JP,Japan,developed\n").line, 2);
        assert_eq!(error_of("J1,JPN,Japan,developed\n").line, 2);
    }

    #[test]
    fn stray_quotes_and_a_wrong_header_are_rejected() {
        assert_eq!(error_of("JP,JPN,Ja\"pan,developed\n").line, 2);
        assert_eq!(error_of("JP,JPN,\"Japan\"x,developed\n").line, 2);
        assert_eq!(parse_csv("code,name\nJP,Japan\n").unwrap_err().line, 1);
        assert_eq!(parse_csv("").unwrap_err().line, 1);
    }
}
