//! A report as text for a terminal, or as Markdown for a pull request or
//! the changelog. (Its JSON is its `serde` form.)

use std::fmt::Write;

use super::{Change, Report};

/// The report for a terminal: a summary line, then a line per change with
/// where it is on the next.
pub fn text(report: &Report) -> String {
    if report.is_empty() {
        return "The API did not change.\n".to_owned();
    }
    let mut out = summary(report, |word| word.to_owned());
    out.push('\n');
    for change in &report.changes {
        let _ = writeln!(out, "  {:<5} {:<10} {}: {}", change.semver, change.wire, change.rule.id(), change.message);
        let _ = writeln!(out, "{:19}{}", "", place(change));
    }
    out
}

/// The report in Markdown: a summary sentence and a table of changes.
pub fn markdown(report: &Report) -> String {
    if report.is_empty() {
        return "The API did not change.\n".to_owned();
    }
    let mut out = summary(report, |word| format!("**{word}**"));
    out.push_str("\n\n| Semver | Wire | Rule | Change | Where |\n|---|---|---|---|---|\n");
    for change in &report.changes {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} | {} |",
            change.semver,
            change.wire,
            change.rule.id(),
            cell(&change.message),
            cell(&place(change))
        );
    }
    out
}

/// `3 changes: breaking on the wire, major for the crate.`
fn summary(report: &Report, strong: impl Fn(&str) -> String) -> String {
    let count = report.changes.len();
    let breaking = report.changes.iter().filter(|change| change.wire == super::Wire::Breaking).count();
    format!(
        "{count} API change{}: {} on the wire ({breaking} breaking), {} for the crate.",
        if count == 1 { "" } else { "s" },
        strong(&report.verdict.wire.to_string()),
        strong(&report.verdict.semver.to_string())
    )
}

/// The operations, releases and pointer of a change, in a few words.
fn place(change: &Change) -> String {
    let mut parts = Vec::new();
    if !change.operations.is_empty() {
        parts.push(few(&change.operations, "operation"));
    }
    match change.releases.as_slice() {
        [] => {}
        [one] => parts.push(format!("release {one}")),
        [first, .., last] if change.releases.len() > 3 => {
            parts.push(format!("{} releases, {first} to {last}", change.releases.len()));
        }
        many => parts.push(format!("releases {}", many.join(", "))),
    }
    let pointer = if change.pointer.is_empty() { "the document" } else { change.pointer.as_str() };
    parts.push(format!("{pointer} in the {} spec", change.spec));
    parts.join("; ")
}

/// Up to three names, or how many there are.
fn few(names: &[String], noun: &str) -> String {
    if names.len() > 3 {
        format!("{} {noun}s", names.len())
    } else {
        names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
    }
}

/// Text safe in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
