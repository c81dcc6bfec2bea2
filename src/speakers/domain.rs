//! The speakers directory: who may be invited to speak, with their organisation, country, bio
//! and optional photo, and the rules on a photo's size and type. Pure.

use chrono::{DateTime, Utc};
use serde::Serialize;

crate::typed_id!(
    /// A speaker's id.
    SpeakerId
);

crate::text_enum!(
    /// The kind of organisation a speaker comes from.
    OrganisationKind {
        MemberState = "member_state",
        SectorMember = "sector_member",
        Organisation = "organisation",
        Academia = "academia",
    }
);

/// A photo kept under `documents.dir`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Photo {
    /// The file's name inside `documents.dir/speakers/`.
    pub file: String,
    /// Its media type, as sniffed from its first bytes.
    pub media_type: String,
}

/// What a caller sets of a speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerFields {
    pub name: String,
    /// Lower-cased: one person per address.
    pub email: String,
    pub organisation: String,
    pub organisation_kind: OrganisationKind,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub bio: String,
    /// False: the public speaker page leaves out the bio and the photo.
    pub public_profile: bool,
}

/// A speaker in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    pub id: SpeakerId,
    #[serde(flatten)]
    pub fields: SpeakerFields,
    pub photo: Option<Photo>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The image types a photo may have, told by their first bytes (never by the name or the
/// declared type, which the uploader chooses).
pub fn sniff_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// Why a photo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the photo must be a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the photo is empty")]
    Empty,
}

/// Checks a photo's size and type: answers its media type and file extension.
pub fn check_photo(bytes: &[u8], max: usize) -> Result<(&'static str, &'static str), PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > max {
        return Err(PhotoError::TooLarge { max });
    }
    sniff_image(bytes).ok_or(PhotoError::NotAnImage)
}

/// Where the CSV cell of a travel desk could run a formula in a spreadsheet: a cell starting with
/// `=`, `+`, `-`, `@`, TAB or CR is prefixed with an apostrophe; every cell is quoted.
pub fn csv_cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_known_by_its_first_bytes_and_bounded_in_size() {
        assert_eq!(
            check_photo(b"\x89PNG\r\n\x1a\nrest", 100),
            Ok(("image/png", "png"))
        );
        assert_eq!(
            check_photo(&[0xFF, 0xD8, 0xFF, 0xE0], 100),
            Ok(("image/jpeg", "jpg"))
        );
        assert_eq!(
            check_photo(b"RIFF\0\0\0\0WEBPVP8 ", 100),
            Ok(("image/webp", "webp"))
        );
        assert_eq!(
            check_photo(b"<svg onload=alert(1)>", 100),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            check_photo(&[0xFF, 0xD8, 0xFF, 0xE0, 0], 4),
            Err(PhotoError::TooLarge { max: 4 })
        );
        assert_eq!(check_photo(b"", 4), Err(PhotoError::Empty));
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("Amina"), "\"Amina\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        for risky in ["=1+1", "+81", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky}");
        }
    }
}
