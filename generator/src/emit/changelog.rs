//! `CHANGELOG.md` and `api.json` of the generated crate, from its record:
//! an entry per version whose regeneration changed the API, holding that
//! regeneration's report.

use std::fmt::Write;

use crate::changes;
use crate::ir::Package;
use crate::record::Record;

pub fn changelog(package: &Package, record: &Record, header: &str) -> String {
    let mut out = format!(
        "<!-- {header} -->\n\n# Changelog of {}\n\nWhat each version changed in the API it covers, as its \
         regeneration reported it. A change is `breaking` on the wire when a caller pinned to an API release that \
         existed before may have a request refused or fail to read an answer, and `major`, `minor` or `patch` for \
         Rust code built against the version before.\n",
        package.name
    );
    for entry in &record.changelog {
        let _ = write!(out, "\n## {}\n\n", entry.version);
        match &entry.report {
            Some(report) => out.push_str(&changes::markdown(report)),
            None => out.push_str(
                "The first version generated with a record of its API; later versions report what changed.\n",
            ),
        }
    }
    out
}

/// `api.json`: the record as JSON, keys in a fixed order, so that an API
/// change is a small diff.
pub fn record(record: &Record) -> String {
    let mut text = serde_json::to_string_pretty(record).expect("a record is always JSON");
    text.push('\n');
    text
}
