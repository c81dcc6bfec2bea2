//! Unit tests of the registration form's checks.
use super::*;
use crate::countries::domain::{bundled, find};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn lookup(code: &str) -> Option<(String, CountryGroup)> {
    find(&bundled().unwrap(), code).map(|c| (c.alpha2.clone(), c.group))
}

fn valid() -> RegistrationInput {
    serde_json::from_value(serde_json::json!({
        "name": "Amina Diallo", "email": " Amina@Example.SN ", "organisation": "ARTP",
        "job_title": "Director", "country": "sn", "stakeholder_category": "regulator",
        "attendance": "in_person", "consent_directory": true
    }))
    .unwrap()
}

#[test]
fn a_valid_registration_is_normalised_and_gets_its_country_group() {
    let (delegate, group) = valid().validate(today(), lookup).unwrap();
    assert_eq!(delegate.email, "amina@example.sn");
    assert_eq!(delegate.country, "SN");
    assert_eq!(group, CountryGroup::Ldc);
    assert_eq!(delegate.category, Category::Regulator);
    assert!(delegate.visa.is_none());
}

#[test]
fn every_bad_field_is_named_at_once() {
    let input: RegistrationInput = serde_json::from_value(serde_json::json!({
        "email": "not an email", "country": "XX", "stakeholder_category": "journalist",
        "attendance": "both", "visa_letter_needed": true, "passport_expiry": "2020-01-01"
    }))
    .unwrap();
    let Err(Invalid(errors)) = input.validate(today(), lookup) else {
        panic!("expected 422");
    };
    for field in [
        "name",
        "email",
        "organisation",
        "job_title",
        "country",
        "stakeholder_category",
        "attendance",
        "passport_name",
        "nationality",
        "passport_number",
        "passport_expiry",
    ] {
        assert!(errors.contains_key(field), "{field} in {errors:?}");
    }
}

#[test]
fn sharing_an_email_needs_consent_to_the_directory() {
    let mut input = valid();
    input.consent_directory = Field::Value(false);
    input.consent_share_email = Field::Value(true);
    let (delegate, _) = input.validate(today(), lookup).unwrap();
    assert!(!delegate.consent_share_email);
}

#[test]
fn gender_is_optional_and_checked_when_given() {
    let (delegate, _) = valid().validate(today(), lookup).unwrap();
    assert_eq!(delegate.gender, None);
    let mut input = valid();
    input.gender = Field::Value("female".into());
    let (delegate, _) = input.validate(today(), lookup).unwrap();
    assert_eq!(delegate.gender, Some(Gender::Female));
    let mut input = valid();
    input.gender = Field::Value("robot".into());
    let Err(Invalid(errors)) = input.validate(today(), lookup) else {
        panic!("expected 422");
    };
    assert!(errors.contains_key("gender"));
}
