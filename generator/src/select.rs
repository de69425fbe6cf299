//! Operation selection (`--include`): keep the operations a filter names and
//! the components they reach, and drop the rest before lowering, so a
//! construct we cannot handle elsewhere in a large spec does not block the
//! part that was asked for.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// One `--include` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Include {
    /// `tag:NAME`: operations carrying the tag.
    Tag(String),
    /// `path:PATTERN`: operations whose path matches; `*` matches any run of characters.
    Path(String),
    /// `operation:ID`: the operation with that `operationId`.
    Operation(String),
    /// A bare value: an `operationId` or a tag (a value starting with `/` is a path pattern).
    Any(String),
}

impl FromStr for Include {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, value) = match text.split_once(':') {
            Some((kind @ ("tag" | "path" | "operation"), value)) => (Some(kind), value),
            _ => (None, text),
        };
        if value.is_empty() {
            return Err(format!("`{text}` names nothing; use tag:NAME, path:PATTERN or operation:ID"));
        }
        Ok(match kind {
            Some("tag") => Include::Tag(value.to_owned()),
            Some("path") => Include::Path(value.to_owned()),
            Some(_) => Include::Operation(value.to_owned()),
            None if value.starts_with('/') => Include::Path(value.to_owned()),
            None => Include::Any(value.to_owned()),
        })
    }
}

impl fmt::Display for Include {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Include::Tag(tag) => write!(f, "tag:{tag}"),
            Include::Path(pattern) => write!(f, "path:{pattern}"),
            Include::Operation(id) => write!(f, "operation:{id}"),
            Include::Any(value) => f.write_str(value),
        }
    }
}

impl Include {
    fn matches(&self, path: &str, operation: &Value) -> bool {
        let id = operation.get("operationId").and_then(Value::as_str);
        let has_tag = |tag: &str| {
            operation
                .get("tags")
                .and_then(Value::as_array)
                .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)))
        };
        match self {
            Include::Tag(tag) => has_tag(tag),
            Include::Path(pattern) => glob_match(pattern, path),
            Include::Operation(wanted) => id == Some(wanted.as_str()),
            Include::Any(value) => id == Some(value.as_str()) || has_tag(value),
        }
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keeps the selected operations and every component they reach; returns
/// the filters that matched nothing, which the caller reports.
pub fn select(document: &mut Value, includes: &[Include]) -> Vec<Include> {
    if includes.is_empty() {
        return Vec::new();
    }
    let mut matched = vec![false; includes.len()];
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            item.retain(|key, operation| {
                if !METHODS.contains(&key.as_str()) {
                    return true;
                }
                let mut keep = false;
                for (index, include) in includes.iter().enumerate() {
                    if include.matches(path, operation) {
                        matched[index] = true;
                        keep = true;
                    }
                }
                keep
            });
        }
        paths.retain(|_, item| item.as_object().is_some_and(|item| item.keys().any(|k| METHODS.contains(&k.as_str()))));
    }
    prune_components(document);
    includes.iter().zip(matched).filter(|(_, matched)| !matched).map(|(include, _)| include.clone()).collect()
}

/// Removes components that nothing outside `components` reaches, following
/// `$ref`s transitively through the components that are kept.
fn prune_components(document: &mut Value) {
    let Some(components) = document.get("components").and_then(Value::as_object) else { return };
    let mut by_ref: BTreeMap<String, &Value> = BTreeMap::new();
    for (section, entries) in components {
        if section == "securitySchemes" {
            continue;
        }
        for (name, value) in entries.as_object().into_iter().flatten() {
            by_ref.insert(format!("#/components/{section}/{name}"), value);
        }
    }
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    for (key, value) in document.as_object().into_iter().flatten() {
        if key != "components" {
            collect_refs(value, &mut pending);
        }
    }
    while let Some(reference) = pending.pop() {
        if reached.insert(reference.clone()) {
            if let Some(target) = by_ref.get(&reference) {
                collect_refs(target, &mut pending);
            }
        }
    }
    if let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) {
        for (section, entries) in components.iter_mut() {
            if section == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| reached.contains(&format!("#/components/{section}/{name}")));
            }
        }
    }
}

fn collect_refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                found.push(reference.to_owned());
            }
            object.values().for_each(|v| collect_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, found)),
        _ => {}
    }
}

/// `*` matches any run of characters (slashes included); everything else literally.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = match parts.split_first() {
        Some(split) => split,
        None => return text.is_empty(),
    };
    let Some(mut remaining) = text.strip_prefix(first) else { return false };
    let Some((last, middle)) = rest.split_last() else { return remaining.is_empty() };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn includes_parse_with_and_without_kind() {
        assert_eq!("tag:Projects".parse(), Ok(Include::Tag("Projects".into())));
        assert_eq!("/api/*/invites".parse(), Ok(Include::Path("/api/*/invites".into())));
        assert_eq!("operation:getOrgInvite".parse(), Ok(Include::Operation("getOrgInvite".into())));
        assert_eq!("getOrgInvite".parse(), Ok(Include::Any("getOrgInvite".into())));
        assert!("tag:".parse::<Include>().is_err());
    }

    #[test]
    fn globs_match_across_segments() {
        assert!(glob_match("/api/atlas/v2/orgs/*/invites*", "/api/atlas/v2/orgs/{orgId}/invites/{invitationId}"));
        assert!(glob_match("/a", "/a"));
        assert!(!glob_match("/a", "/ab"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("/a*b*c", "/abx"));
    }

    #[test]
    fn selection_keeps_reached_components_only() {
        let mut document = json!({
            "paths": {
                "/a": {"get": {"operationId": "getA", "responses": {"200": {"$ref": "#/components/responses/ok"}}},
                       "parameters": []},
                "/b": {"get": {"operationId": "getB", "tags": ["B"]}}
            },
            "components": {
                "responses": {"ok": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
                "schemas": {"A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {}, "C": {}},
                "securitySchemes": {"key": {}}
            }
        });
        let unmatched = select(&mut document, &["getA".parse().expect("valid"), "tag:Nope".parse().expect("valid")]);
        assert_eq!(unmatched, vec![Include::Tag("Nope".into())]);
        assert!(document["paths"].get("/b").is_none());
        let schemas: Vec<&String> = document["components"]["schemas"].as_object().expect("schemas").keys().collect();
        assert_eq!(schemas, ["A", "B"]);
        assert!(document["components"]["securitySchemes"].get("key").is_some());
    }
}
