//! Reading a speaker from a JSON body or a page's form. Pure: every invalid field is named at
//! once; whether the country exists is asked through `known_country`.

use serde::Deserialize;

use super::domain::{OrganisationKind, SpeakerFields};
use crate::access::domain::{is_plausible_email, normalise_email};
use crate::input::{Check, Field, Invalid};

/// Longest name, organisation or email accepted.
pub const MAX_LINE: usize = 200;
/// Longest bio accepted.
pub const MAX_BIO: usize = 3000;

/// A speaker as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpeakerInput {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub email: Field<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub organisation: Field<String>,
    #[serde(default)]
    #[schema(value_type = OrganisationKind)]
    pub organisation_kind: Field<String>,
    /// ISO 3166-1 alpha-2 code, e.g. "JP".
    #[serde(default)]
    #[schema(value_type = String)]
    pub country: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub bio: Field<String>,
    /// False lists the speaker publicly without bio and photo (default true).
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub public_profile: Field<bool>,
}

fn bio(check: &mut Check, value: Field<String>) -> String {
    let text = check
        .optional("bio", value)
        .map(|b| b.trim().replace("\r\n", "\n"))
        .unwrap_or_default();
    if text.chars().count() > MAX_BIO {
        check.fail("bio", format!("must be at most {MAX_BIO} characters"));
    } else if crate::input::has_forbidden(&text) {
        check.fail("bio", crate::input::MESSAGE);
    }
    text
}

fn email(check: &mut Check, value: Field<String>) -> Option<String> {
    let email = check.line("email", value, MAX_LINE)?;
    if is_plausible_email(&email) {
        Some(normalise_email(&email))
    } else {
        check.fail("email", "must be an email address such as name@example.org");
        None
    }
}

impl SpeakerInput {
    /// The fields, each checked; `known_country` answers the stored code of a typed one.
    pub fn read(
        self,
        known_country: impl FnOnce(&str) -> Option<String>,
    ) -> Result<SpeakerFields, Invalid> {
        let mut check = Check::new();
        let name = check.line("name", self.name, MAX_LINE);
        let email = email(&mut check, self.email);
        let organisation = check.line("organisation", self.organisation, MAX_LINE);
        let kind = check
            .required("organisation_kind", self.organisation_kind)
            .and_then(|k| OrganisationKind::parse(k.trim()));
        if kind.is_none() && !check.failed("organisation_kind") {
            check.fail(
                "organisation_kind",
                "must be member_state, sector_member, organisation or academia",
            );
        }
        let country = check.line("country", self.country, 60);
        let country = country.and_then(|c| {
            let found = known_country(&c);
            if found.is_none() {
                check.fail("country", "must be an ISO 3166-1 alpha-2 code such as JP");
            }
            found
        });
        let bio = bio(&mut check, self.bio);
        let public_profile = check.optional("public_profile", self.public_profile);
        check.finish()?;
        Ok(SpeakerFields {
            name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            organisation: organisation.unwrap_or_default(),
            organisation_kind: kind.unwrap_or(OrganisationKind::Organisation),
            country: country.unwrap_or_default(),
            bio,
            public_profile: public_profile.unwrap_or(true),
        })
    }

    /// The input a page's form gives (`public_profile` is a checkbox).
    pub fn from_form(form: &[(String, String)]) -> SpeakerInput {
        let get = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map_or(Field::Missing, |(_, v)| Field::Value(v.clone()))
        };
        SpeakerInput {
            name: get("name"),
            email: get("email"),
            organisation: get("organisation"),
            organisation_kind: get("organisation_kind"),
            country: get("country"),
            bio: get("bio"),
            public_profile: Field::Value(form.iter().any(|(k, _)| k == "public_profile")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(code: &str) -> Option<String> {
        (code.eq_ignore_ascii_case("jp")).then(|| "JP".to_string())
    }

    #[test]
    fn a_speaker_is_read_with_a_lower_cased_email_and_a_known_country() {
        let input = SpeakerInput {
            name: Field::Value(" Aiko Tanaka ".into()),
            email: Field::Value("Aiko.Tanaka@Soumu.GO.jp".into()),
            organisation: Field::Value("MIC".into()),
            organisation_kind: Field::Value("member_state".into()),
            country: Field::Value("jp".into()),
            ..SpeakerInput::default()
        };
        let fields = input.read(known).unwrap();
        assert_eq!(fields.email, "aiko.tanaka@soumu.go.jp");
        assert_eq!(
            (fields.name.as_str(), fields.country.as_str()),
            ("Aiko Tanaka", "JP")
        );
        assert!(fields.public_profile);
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = SpeakerInput {
            email: Field::Value("not an address".into()),
            organisation_kind: Field::Value("club".into()),
            country: Field::Value("XX".into()),
            bio: Field::Value("a\u{0}b".into()),
            ..SpeakerInput::default()
        };
        let Err(Invalid(errors)) = input.read(known) else {
            panic!("expected errors")
        };
        for field in [
            "name",
            "email",
            "organisation",
            "organisation_kind",
            "country",
            "bio",
        ] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
