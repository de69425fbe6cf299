//! Stage 1: read a spec (YAML or JSON) into a JSON document, check that it is
//! OpenAPI 3.0, and index its lines for locating problems.
//!
//! The document is kept as plain JSON values: lowering reads it directly, so
//! that a malformed part is reported where it is while the rest is still
//! checked (a typed model fails whole on its first error).

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostics, Location};

/// A spec's text and the name to show for it in messages and headers.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// How the file is named to the user, e.g. `spec/atlas-invitations.yaml`.
    pub name: String,
    /// The file's contents.
    pub text: String,
}

impl SpecSource {
    /// Reads the input file at `path`, shown as `name`.
    ///
    /// # Errors
    ///
    /// [`ReadError`] when the file cannot be read or is not UTF-8.
    pub fn read(path: &Path, name: String) -> Result<SpecSource, ReadError> {
        match std::fs::read(path) {
            Err(source) => Err(ReadError::Io { name, source }),
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(SpecSource { name, text }),
                Err(source) => Err(ReadError::NotUtf8 { name, source }),
            },
        }
    }
}

/// Why an input file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file system refused.
    #[error("cannot read {name}: {source}")]
    Io {
        /// The file, as shown.
        name: String,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file is not text.
    #[error("{name}: the file is not UTF-8 ({source})")]
    NotUtf8 {
        /// The file, as shown.
        name: String,
        /// Where the bytes stop being UTF-8.
        source: std::string::FromUtf8Error,
    },
}

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The document as plain JSON values.
    pub raw: serde_json::Value,
    /// Finds the line of a JSON pointer in the original text.
    pub lines: LineIndex,
    /// The file name shown in messages.
    pub name: String,
}

impl LoadedSpec {
    /// The location of `pointer` in this spec.
    pub fn locate(&self, pointer: &str) -> Location {
        Location { file: self.name.clone(), pointer: pointer.to_owned(), line: self.lines.line_of(pointer) }
    }
}

/// Parses and checks the OpenAPI version. YAML 1.2 rules apply (`off` and
/// unquoted dates stay strings); a byte-order mark and CRLF line ends are fine.
pub fn load(source: &SpecSource) -> Result<LoadedSpec, Diagnostics> {
    load_selected(source, &[])
}

/// Like [`load`], keeping only the operations `includes` select (all when it
/// is empty) and the components they reach. A filter that selects nothing
/// is an error: a typo must not silently yield an empty crate.
pub fn load_selected(source: &SpecSource, includes: &[crate::select::Include]) -> Result<LoadedSpec, Diagnostics> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let at =
        |pointer: &str, line: Option<usize>| Location { file: source.name.clone(), pointer: pointer.to_owned(), line };
    let mut problems = Diagnostics::default();

    // The line index needs only the text: it is built beside the parse.
    let (parsed, lines) = rayon::join(|| parse_document(text), || LineIndex::new(text));
    let mut raw = match parsed {
        Ok(raw) => raw,
        Err((message, line)) => {
            problems.push(at("", line), message);
            return Err(problems);
        }
    };
    for unmatched in crate::select::select(&mut raw, includes) {
        problems.push(at("/paths", lines.line_of("/paths")), format!("--include {unmatched} selects no operation"));
    }

    match raw.get("openapi").map(|v| v.as_str().ok_or(v)) {
        Some(Ok(version)) if version.starts_with("3.0.") => {}
        Some(Err(value)) => {
            problems.push(
                at("/openapi", lines.line_of("/openapi")),
                format!("`openapi` must be a version string such as \"3.0.3\", found {value} (quote it in YAML)"),
            );
        }
        Some(Ok(version)) => {
            problems.push(
                at("/openapi", lines.line_of("/openapi")),
                format!("OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x"),
            );
        }
        None if raw.get("swagger").is_some() => {
            problems.push(
                at("/swagger", lines.line_of("/swagger")),
                "Swagger 2.0 is not supported; convert the spec to OpenAPI 3.0.x first",
            );
        }
        None => problems.push(at("", None), "not an OpenAPI document: there is no `openapi` field"),
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(LoadedSpec { raw, lines, name: source.name.clone() })
}

/// JSON when the document starts with `{`, YAML otherwise. YAML keys that are
/// not strings (`200:` unquoted) become their string form, as OpenAPI means.
fn parse_document(text: &str) -> Result<serde_json::Value, (String, Option<usize>)> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| (format!("invalid JSON: {e}"), Some(e.line())));
    }
    // Straight into JSON values, without an intermediate YAML tree: map keys
    // are read as strings, so an unquoted `200:` is the key "200", as
    // OpenAPI means, and YAML 1.2 keeps `off` and dates as strings.
    if let Some(value) = top_level_sections(text).and_then(|sections| parse_sections(&sections)) {
        return Ok(value);
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        (format!("invalid YAML: {e}"), line)
    })
}

/// A block-style YAML mapping cut at its top-level keys: `paths` and
/// `components` are each about half of an Atlas spec, and parsed apart they
/// take a core each. `None` unless every line that starts at column 0 (other
/// than comments) is a plain `key:` and there are two keys or more; flow
/// style, directives, `---` and complex keys all take the one-piece parse.
fn top_level_sections(text: &str) -> Option<Vec<&str>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match line.as_bytes().first() {
            None | Some(b' ' | b'\n' | b'\r' | b'#') => {}
            Some(_) if is_plain_key_line(line) => starts.push(offset),
            Some(_) => return None,
        }
        offset += line.len();
    }
    if starts.len() < 2 {
        return None;
    }
    // Comments and blank lines before the first key go with it.
    starts[0] = 0;
    starts.push(text.len());
    Some(starts.windows(2).map(|bounds| &text[bounds[0]..bounds[1]]).collect())
}

/// `key:` at the start of a line, with a plain key and then a space or the line end.
fn is_plain_key_line(line: &str) -> bool {
    let key = line.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')).count();
    key > 0
        && line.as_bytes().get(key) == Some(&b':')
        && matches!(line.as_bytes().get(key + 1), None | Some(b' ' | b'\n' | b'\r'))
}

/// Parses the sections in parallel and joins them in order. `None`
/// when any section does not parse on its own (an alias to an anchor in
/// another section, or a plain error) or two sections have the same key: the
/// one-piece parse then decides, with its own message and line.
fn parse_sections(sections: &[&str]) -> Option<serde_json::Value> {
    let parsed: Vec<Option<serde_json::Map<String, serde_json::Value>>> =
        sections.par_iter().map(|section| serde_yaml_ng::from_str(section).ok()).collect();
    let mut document = serde_json::Map::new();
    for section in parsed {
        for (key, value) in section? {
            if document.insert(key, value).is_some() {
                return None;
            }
        }
    }
    Some(serde_json::Value::Object(document))
}

/// Maps JSON pointers to lines by following keys down the indentation of a
/// block-style YAML or pretty-printed JSON file. When a pointer cannot be
/// followed (flow style, one-line JSON) it gives no line rather than a wrong one.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// The document, kept once rather than a string per line.
    text: String,
    /// Per line: its indent, and where its text (without the indent and
    /// trailing space) is in `text`.
    lines: Vec<(usize, Range<usize>)>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut lines = Vec::new();
        let mut offset = 0;
        for chunk in text.split_inclusive('\n') {
            let line = chunk.strip_suffix('\n').unwrap_or(chunk);
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let start = offset + indent;
            lines.push((indent, start..start + trimmed.trim_end().len()));
            offset += chunk.len();
        }
        LineIndex { text: text.to_owned(), lines }
    }

    /// The lines from `start` on: index, indent and text.
    fn lines_from(&self, start: usize) -> impl Iterator<Item = (usize, usize, &str)> {
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .map(|(index, (indent, range))| (index, *indent, &self.text[range.clone()]))
    }

    /// The 1-based line of the key the pointer ends in.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let mut start = 0;
        let mut min_indent = 0;
        let mut found = None;
        for token in pointer.split('/').skip(1) {
            let key = token.replace("~1", "/").replace("~0", "~");
            let (index, indent) = self.find_key(&key, start, min_indent)?;
            found = Some(index + 1);
            start = index + 1;
            min_indent = indent + 1;
        }
        found
    }

    fn find_key(&self, key: &str, start: usize, min_indent: usize) -> Option<(usize, usize)> {
        if let Ok(position) = key.parse::<usize>() {
            // A number is an index into a sequence, or a key such as a status code.
            let first = self.lines_from(start).find(|(_, _, line)| !line.is_empty() && !line.starts_with('#'));
            if first.is_some_and(|(_, _, line)| line == "-" || line.starts_with("- ")) {
                return self.find_item(position, start, min_indent);
            }
        }
        let candidates = [format!("{key}:"), format!("'{key}':"), format!("\"{key}\":"), format!("- {key}:")];
        for (index, indent, line) in self.lines_from(start) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if indent < min_indent && index > start {
                return None;
            }
            if candidates.iter().any(|c| line.starts_with(c.as_str())) {
                return Some((index, indent));
            }
        }
        None
    }

    /// The `position`-th `- ` item of the sequence that starts at `start`.
    fn find_item(&self, position: usize, start: usize, min_indent: usize) -> Option<(usize, usize)> {
        let mut item_indent = None;
        let mut seen = 0;
        for (index, indent, line) in self.lines_from(start) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if indent < min_indent.saturating_sub(2) {
                return None;
            }
            if !line.starts_with('-') {
                continue;
            }
            match item_indent {
                None => item_indent = Some(indent),
                Some(expected) if expected != indent => continue,
                Some(_) => {}
            }
            if seen == position {
                return Some((index, indent));
            }
            seen += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_document, top_level_sections, LineIndex};

    /// Parsing in sections gives exactly what the one-piece parse gives,
    /// errors included, whatever the document does across sections.
    #[test]
    fn sections_parse_as_the_whole_document_does() {
        let documents = [
            "# spec\nopenapi: 3.0.3\ninfo:\n  title: t\npaths: {}\n",
            "a: 1\nb:\n  c: off\n  d: 2024-01-01\n# between\n\ne: [1, 2]\n",
            "a: &shared\n  x: 1\nb: *shared\n",
            "a:\n  x: &local 1\n  y: *local\nb: 2\n",
            "a: 1\na: 2\n",
            "a: 1\nb: [1,\n",
            "a: |\n  text\n\n  more\nb: >-\n  folded\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n{b: 2}\n",
            "a: 1\n? b\n: 2\n",
            "a: 1\nb: 2",
        ];
        for text in documents {
            let whole: Result<serde_json::Value, String> = serde_yaml_ng::from_str(text).map_err(|e| e.to_string());
            let ours =
                parse_document(text).map_err(|(message, _)| message.trim_start_matches("invalid YAML: ").to_owned());
            assert_eq!(ours, whole, "for {text:?}");
        }
        assert_eq!(top_level_sections("a: 1\nb:\n  c: 2\n"), Some(vec!["a: 1\n", "b:\n  c: 2\n"]));
        assert_eq!(top_level_sections("a: 1\n"), None, "one key: nothing to share");
        assert_eq!(top_level_sections("- a\n- b\n"), None);
    }

    #[test]
    fn numbers_are_indexes_in_sequences_and_keys_in_mappings() {
        let index = LineIndex::new("paths:\n  /a:\n    get:\n      parameters:\n        - name: x\n        - name: y\n      responses:\n        \"200\":\n          description: ok\n");
        assert_eq!(index.line_of("/paths/~1a/get/parameters/1"), Some(6));
        assert_eq!(index.line_of("/paths/~1a/get/responses/200"), Some(8));
        assert_eq!(index.line_of("/paths/~1a/get/responses/200/description"), Some(9));
        assert_eq!(index.line_of("/paths/~1a/post"), None);
    }
}
