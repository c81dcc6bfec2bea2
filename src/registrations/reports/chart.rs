//! The statistics chart, drawn as SVG on the server: no script, no external chart service.

use std::fmt::Write;

use super::domain::Stats;
use crate::countries::CountryGroup;
use crate::registrations::domain::Category;

const COLOURS: [(CountryGroup, &str); 3] = [
    (CountryGroup::Developed, "#7a8ca3"),
    (CountryGroup::Developing, "#005a9c"),
    (CountryGroup::Ldc, "#c05a00"),
];
const LABEL_WIDTH: u32 = 170;
const BAR_SPACE: u32 = 360;
const BAR_HEIGHT: u32 = 14;
const ROW_GAP: u32 = 14;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A grouped bar chart: one row per stakeholder category, one bar per country group.
/// `label` names a category or group key in the page's language.
pub fn svg(stats: &Stats, label: impl Fn(&str) -> String, title: &str) -> String {
    let row_height = BAR_HEIGHT * 3 + ROW_GAP;
    let height = 30 + row_height * Category::ALL.len() as u32 + 10;
    let width = LABEL_WIDTH + BAR_SPACE + 50;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="chart-title"><title id="chart-title">{}</title>"#,
        escape(title)
    );
    for (i, (group, colour)) in COLOURS.iter().enumerate() {
        let x = LABEL_WIDTH + i as u32 * 120;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/><text x="{}" y="14" font-size="12">{}</text>"#,
            x + 16,
            escape(&label(group.as_str()))
        );
    }
    for (row, category) in Category::ALL.iter().enumerate() {
        let top = 30 + row as u32 * row_height;
        let _ = write!(
            out,
            r#"<text x="0" y="{}" font-size="12">{}</text>"#,
            top + BAR_HEIGHT * 2 - 2,
            escape(&label(category.as_str()))
        );
        bars(&mut out, stats, (*category, top), &label);
    }
    out.push_str("</svg>");
    out
}

/// One category's bars, one per country group, scaled to the largest cell.
fn bars(
    out: &mut String,
    stats: &Stats,
    (category, top): (Category, u32),
    label: impl Fn(&str) -> String,
) {
    let max = stats
        .cells
        .iter()
        .map(|c| c.tally.total)
        .max()
        .unwrap_or(0)
        .max(1);
    for (i, (group, colour)) in COLOURS.iter().enumerate() {
        let n = stats
            .cells
            .iter()
            .find(|c| c.stakeholder_category == category && c.country_group == *group)
            .map_or(0, |c| c.tally.total);
        let y = top + i as u32 * BAR_HEIGHT;
        let w = (n as u64 * BAR_SPACE as u64 / max as u64) as u32;
        let _ = write!(
            out,
            r#"<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{}" fill="{colour}"><title>{}: {n}</title></rect><text x="{}" y="{}" font-size="11">{n}</text>"#,
            BAR_HEIGHT - 2,
            escape(&format!(
                "{} · {}",
                label(category.as_str()),
                label(group.as_str())
            )),
            LABEL_WIDTH + w + 4,
            y + BAR_HEIGHT - 4
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registrations::domain::{Attendance, Status};
    use crate::registrations::reports::domain::tally;

    #[test]
    fn the_chart_draws_a_bar_per_category_and_group_scaled_to_the_largest() {
        let stats = tally(
            &[
                (
                    Category::Regulator,
                    CountryGroup::Ldc,
                    Attendance::InPerson,
                    Status::Confirmed,
                    4,
                ),
                (
                    Category::Other,
                    CountryGroup::Developed,
                    Attendance::Remote,
                    Status::Confirmed,
                    2,
                ),
            ],
            &[],
        );
        let svg = svg(&stats, |k| format!("<{k}>"), "Registrations & groups");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 3 + 15, "legend and bars");
        assert!(
            svg.contains(&format!(r#"width="{BAR_SPACE}""#)),
            "the largest bar fills the space"
        );
        assert!(svg.contains(&format!(r#"width="{}""#, BAR_SPACE / 2)));
        assert!(svg.contains("&lt;regulator&gt;") && !svg.contains("<regulator>"));
        assert!(svg.contains("Registrations &amp; groups"));
    }
}
