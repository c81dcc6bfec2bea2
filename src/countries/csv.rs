//! A small CSV reader (RFC 4180 quoting, records spanning lines), pure, with line numbers for
//! the messages an admin reads.

use std::fmt;
use std::iter::Peekable;
use std::str::Chars;

/// What is wrong with a countries CSV, and on which line (1-based) of the file.
#[derive(Debug, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

impl CsvError {
    /// An error on a line.
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        CsvError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

/// One CSV record and the line it starts on (a quoted field may span lines).
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

type Input<'a> = Peekable<Chars<'a>>;

/// The records of a CSV text (RFC 4180 quoting; a byte order mark and blank lines ignored).
pub fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    // Spreadsheets often save UTF-8 with a byte order mark, which would otherwise spoil the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut input = text.chars().peekable();
    let mut line = 1;
    let mut records = Vec::new();
    while let Some(&c) = input.peek() {
        let start = line;
        if c == '\n' || c == '\r' {
            // A blank line (such as a second trailing newline) holds no record.
            end_of_line(&mut input, &mut line);
            continue;
        }
        let fields = record(&mut input, &mut line)?;
        records.push(Record {
            line: start,
            fields,
        });
    }
    Ok(records)
}

fn record(input: &mut Input, line: &mut usize) -> Result<Vec<String>, CsvError> {
    let mut fields = Vec::new();
    loop {
        let field = if input.peek() == Some(&'"') {
            input.next();
            quoted(input, line)?
        } else {
            unquoted(input, *line)?
        };
        fields.push(field);
        match input.peek() {
            Some(',') => {
                input.next();
            }
            Some('\n' | '\r') => {
                end_of_line(input, line);
                return Ok(fields);
            }
            None => return Ok(fields),
            Some(c) => {
                return Err(CsvError::new(
                    *line,
                    format!("unexpected {c:?} after a closing quote"),
                ))
            }
        }
    }
}

fn unquoted(input: &mut Input, line: usize) -> Result<String, CsvError> {
    let mut field = String::new();
    while let Some(&c) = input.peek() {
        match c {
            ',' | '\n' | '\r' => break,
            '"' => {
                return Err(CsvError::new(
                    line,
                    "a quote inside an unquoted field (quote the whole field and double the quote)",
                ))
            }
            _ => {
                field.push(c);
                input.next();
            }
        }
    }
    Ok(field)
}

fn quoted(input: &mut Input, line: &mut usize) -> Result<String, CsvError> {
    let opened = *line;
    let mut field = String::new();
    loop {
        match input.next() {
            None => return Err(CsvError::new(opened, "a quoted field is never closed")),
            Some('"') if input.peek() == Some(&'"') => {
                input.next();
                field.push('"');
            }
            Some('"') => return Ok(field),
            Some(c) => {
                if c == '\n' {
                    *line += 1;
                }
                field.push(c);
            }
        }
    }
}

fn end_of_line(input: &mut Input, line: &mut usize) {
    if input.next() == Some('\r') && input.peek() == Some(&'\n') {
        input.next();
    }
    *line += 1;
}
