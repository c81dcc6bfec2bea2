//! Reuse's rule: an earlier agenda carried into another session. Pure.

use chrono::{DateTime, Utc};

use crate::agendas::domain::{AgendaError, AgendaItemId, Frame, Item};
use crate::input::Check;

/// An earlier agenda's items moved into another session: the same offsets from the session's
/// start, durations and order, new ids and no speakers. Items that would fall outside the new
/// session are refused, each named.
pub fn carry_over(
    items: &[Item],
    from_start: DateTime<Utc>,
    to: &Frame,
    mut new_id: impl FnMut() -> AgendaItemId,
) -> Result<Vec<Item>, AgendaError> {
    let by = to.starts_at - from_start;
    let mut check = Check::new();
    let moved: Vec<Item> = items
        .iter()
        .map(|i| Item {
            id: new_id(),
            speakers: Vec::new(),
            ..i.clone().shifted(by)
        })
        .collect();
    for item in moved.iter().filter(|i| !to.contains(i)) {
        let message = format!(
            "“{}” would fall at {}, outside the session ({})",
            item.title,
            to.span(item.starts_at, item.ends_at),
            to.span(to.starts_at, to.ends_at)
        );
        check.fail("items", message);
    }
    check.finish()?;
    Ok(moved)
}
