//! Every example in the spec satisfies the patterns of its schema, checked
//! with a Unicode-aware regex engine: the spec's name pattern uses `\p{L}`,
//! which Spectral's example check misreads (see tests/contract/.spectral.yaml).

use regex::Regex;
use serde_json::Value;

fn spec() -> Value {
    let text = std::fs::read_to_string(atlas_tests::repo_root().join("spec/atlas-invitations.yaml")).expect("spec");
    serde_yaml_ng::from_str(&text).expect("spec is YAML")
}

/// Follows `$ref`s within the document.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(spec, spec.pointer(pointer).unwrap_or_else(|| panic!("dangling {reference}")))
        }
        None => schema,
    }
}

/// Checks `value` against the `pattern`s in `schema`, recursing into
/// properties and items; returns how many strings were checked.
fn check(spec: &Value, schema: &Value, value: &Value, at: &str) -> usize {
    let schema = resolve(spec, schema);
    let mut checked = 0;
    if let (Some(pattern), Some(text)) = (schema.get("pattern").and_then(Value::as_str), value.as_str()) {
        // JSON Schema patterns are searches, not full matches; anchors are in the pattern.
        let regex = Regex::new(pattern).unwrap_or_else(|e| panic!("{at}: pattern {pattern} is not a valid regex: {e}"));
        assert!(regex.is_match(text), "{at}: example {text:?} does not match {pattern}");
        checked += 1;
    }
    if let (Some(properties), Some(object)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
        for (name, property) in properties {
            if let Some(child) = object.get(name) {
                checked += check(spec, property, child, &format!("{at}/{name}"));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            checked += check(spec, items, item, &format!("{at}/{index}"));
        }
    }
    checked
}

fn walk(spec: &Value, node: &Value, at: String, checked: &mut usize, examples: &mut usize) {
    match node {
        Value::Object(object) => {
            if let (Some(schema), Some(example)) = (object.get("schema"), object.get("example")) {
                *examples += 1;
                *checked += check(spec, schema, example, &at);
            }
            // Parameter examples: `example` beside a parameter's schema is the same case.
            for (key, child) in object {
                walk(spec, child, format!("{at}/{key}"), checked, examples);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(spec, item, format!("{at}/{index}"), checked, examples);
            }
        }
        _ => {}
    }
}

#[test]
fn examples_match_their_schema_patterns() {
    let spec = spec();
    let (mut checked, mut examples) = (0, 0);
    walk(&spec, &spec, String::new(), &mut checked, &mut examples);
    assert!(examples >= 20, "found only {examples} examples");
    assert!(checked >= 20, "checked only {checked} patterned strings");
}

/// The check can fail: a name the pattern forbids is caught, and a
/// non-ASCII name it allows passes.
#[test]
fn the_name_pattern_is_read_with_unicode_classes() {
    let spec = spec();
    let schema = spec.pointer("/components/schemas/OrganizationInvitation/properties/orgName").expect("orgName");
    assert_eq!(check(&spec, schema, &Value::from("Überweisung GmbH (EU)".replace(' ', "-")), "ok"), 1);
    let rejected = std::panic::catch_unwind(|| check(&spec, schema, &Value::from("a/b"), "bad"));
    assert!(rejected.is_err(), "`a/b` is outside the name pattern");
}
