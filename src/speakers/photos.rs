//! Speakers' photos: reading one file from a `multipart/form-data` body without buffering more
//! than the limit allows, and keeping it under `documents.dir/speakers/`.

use std::path::PathBuf;

use actix_web::web;
use futures_util::StreamExt;

use crate::config::Settings;
use crate::error::AppError;

/// What a multipart body may hold besides the file: its boundaries and the other fields.
const OVERHEAD: usize = 64 * 1024;

/// Reads a request body up to `max` bytes; more answers 413 without reading the rest.
pub async fn read_body(mut payload: web::Payload, max: usize) -> Result<Vec<u8>, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > max {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The largest body a photo upload may send.
pub fn body_limit(settings: &Settings) -> usize {
    settings.speakers.photo_max_bytes + OVERHEAD
}

/// One part of a multipart body: its field name, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

fn boundary(content_type: &str) -> Result<String, AppError> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return Err(AppError::UnsupportedMediaType(
            "send the photo as multipart/form-data with a field named photo".into(),
        ));
    }
    content_type
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 200)
        .ok_or_else(|| AppError::BadRequest("multipart body without a boundary".into()))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn part(raw: &[u8]) -> Option<Part> {
    let end = find(raw, b"\r\n\r\n", 0)?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let disposition = head
        .split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let param = |key: &str| {
        disposition
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
    };
    Some(Part {
        name: param("name")?,
        filename: param("filename"),
        bytes: raw[end + 4..].to_vec(),
    })
}

/// The parts of a multipart body.
pub fn parts(content_type: &str, body: &[u8]) -> Result<Vec<Part>, AppError> {
    let delimiter = format!("--{}", boundary(content_type)?).into_bytes();
    let mut found = Vec::new();
    let mut at = find(body, &delimiter, 0)
        .ok_or_else(|| AppError::BadRequest("the multipart body has no parts".into()))?;
    loop {
        let start = at + delimiter.len();
        if body.get(start..start + 2) == Some(b"--") {
            break;
        }
        let Some(next) = find(body, &delimiter, start) else {
            break;
        };
        // Each part sits between the CRLF after a delimiter and the CRLF before the next one.
        let raw = body
            .get(start + 2..next.saturating_sub(2))
            .unwrap_or_default();
        found.extend(part(raw));
        at = next;
    }
    Ok(found)
}

/// The photo's file: a fresh name under `documents.dir/speakers/`.
pub fn store(
    settings: &Settings,
    speaker_id: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    let dir = settings.documents.dir.join("speakers");
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::Internal(format!("cannot create {}: {e}", dir.display())))?;
    let name = format!("{speaker_id}-{}.{ext}", uuid::Uuid::new_v4().simple());
    std::fs::write(dir.join(&name), bytes)
        .map_err(|e| AppError::Internal(format!("cannot write a photo: {e}")))?;
    Ok(name)
}

/// The path of a stored photo (names are ours: no separators can reach here).
pub fn path(settings: &Settings, file: &str) -> PathBuf {
    settings
        .documents
        .dir
        .join("speakers")
        .join(file.replace(['/', '\\'], ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_and_a_field_are_read_from_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nDATA\r\n--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--XyZ--\r\n";
        let read = parts("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].name, "photo");
        assert_eq!(read[0].filename.as_deref(), Some("a.png"));
        assert_eq!(read[0].bytes, b"\x89PNG\r\n\x1a\nDATA");
        assert_eq!(
            (read[1].name.as_str(), read[1].bytes.as_slice()),
            ("x", &b"1"[..])
        );
        assert!(matches!(
            parts("application/json", body),
            Err(AppError::UnsupportedMediaType(_))
        ));
    }
}
