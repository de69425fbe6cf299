//! Property test: whatever a spec turns into (keys deleted or renamed, values
//! of the wrong type, odd names injected, operations duplicated, schemas
//! wrapped in `allOf`/`oneOf`, `$ref`s retargeted), the generator never
//! panics, never reports its own bug, and every `Ok` output parses as Rust.
//!
//! The bases are the repository's spec and every fixture under
//! `tests/fixtures/generate/`. The case count is small by default so the
//! suite stays fast; `PROPTEST_CASES=5000 cargo test -p atlas-codegen --test
//! mutations` runs longer, and `MUTATIONS_TRACE=1` (with `-- --nocapture`)
//! prints each case before it runs, to find one that crashes the process.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use atlas_codegen::{generate, parse_settings, Config, Error, SpecSource};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::{json, Value};

/// Cases run without `PROPTEST_CASES`.
const DEFAULT_CASES: u32 = 48;

/// Names that are hard on a generator: keywords, std and runtime names,
/// digits, punctuation, non-ASCII, Markdown and comment syntax, controls.
#[rustfmt::skip]
const ODD_NAMES: &[&str] = &[
    "type", "self", "Self", "crate", "super", "1st", "with-dash", "", "größe", "名前", "Option", "Result", "String",
    "Vec", "Box", "Error", "Endpoint", "UnknownValue", "r#type", "_", "a b", "*/", "`", "[x]", "<b>", "\u{7f}", "\n",
    "body", "query", "builder", "Unknown", "additionalProperties", "$ref", "{id}", "/", "~1",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Removes the member or item at a node.
    Delete(usize),
    /// Renames the key of an object member.
    Rename(usize, usize),
    /// Replaces a node with another value.
    Replace(usize, usize),
    /// Replaces a string with an odd name.
    OddString(usize, usize),
    /// Copies an operation to another method of another path.
    CopyOperation(usize, usize),
    /// Wraps an object in a combinator.
    Wrap(usize, usize),
    /// Points a `$ref` at another schema, or at none.
    Retarget(usize, usize),
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("string"),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({"type": "object"}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "#/components/schemas/"}),
        json!({"type": "array", "items": {"type": "array", "items": {"type": "integer", "format": "int32"}}}),
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b", "a"]}]}),
        json!({"allOf": [{"type": "string"}]}),
        json!({"allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"type": "integer"}}}]}),
        json!({"nullable": true, "type": "string"}),
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        json!({"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": true}),
        json!({"type": "string", "enum": ["a", "A", "", "Unknown", "Unrecognized"]}),
        json!({"type": "string", "format": "date-time"}),
        json!({"not": {"type": "string"}}),
        json!({"type": ["string", "null"]}),
        json!({"discriminator": {"propertyName": "kind"}, "oneOf": [{"$ref": "#/components/schemas/Nope"}]}),
        json!({"description": "```\nfn main() {}\n```\n    indented\n<b>[x]</b> */"}),
    ]
}

/// Every node of a document, as the path of keys and indexes to it.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()),
        Step::Index(index) => value.get_mut(*index),
    })
}

fn pick(paths: &[Vec<Step>], choice: usize) -> Vec<Step> {
    paths[choice % paths.len()].clone()
}

fn apply(document: &mut Value, mutation: &Mutation) {
    let all = paths(document);
    match mutation {
        Mutation::Delete(at) => {
            let path = pick(&all, *at);
            let Some((last, parent)) = path.split_last() else { return };
            match (node_mut(document, parent), last) {
                (Some(Value::Object(object)), Step::Key(key)) => {
                    object.remove(key);
                }
                (Some(Value::Array(items)), Step::Index(index)) => {
                    items.remove(*index);
                }
                _ => {}
            }
        }
        Mutation::Rename(at, name) => {
            let path = pick(&all, *at);
            let Some((Step::Key(key), parent)) = path.split_last() else { return };
            if let Some(Value::Object(object)) = node_mut(document, parent) {
                if let Some(value) = object.remove(key) {
                    object.insert(ODD_NAMES[name % ODD_NAMES.len()].to_owned(), value);
                }
            }
        }
        Mutation::Replace(at, with) => {
            let replacements = replacements();
            let path = pick(&all, *at);
            if let Some(node) = node_mut(document, &path) {
                *node = replacements[with % replacements.len()].clone();
            }
        }
        Mutation::OddString(at, name) => {
            let strings: Vec<&Vec<Step>> =
                all.iter().filter(|p| matches!(node_ref(document, p), Some(Value::String(_)))).collect();
            if strings.is_empty() {
                return;
            }
            let path = strings[at % strings.len()].clone();
            if let Some(node) = node_mut(document, &path) {
                *node = Value::String(ODD_NAMES[name % ODD_NAMES.len()].to_owned());
            }
        }
        Mutation::CopyOperation(from, to) => {
            let Some(paths) = document.get("paths").and_then(Value::as_object) else { return };
            let operations: Vec<(String, String)> = paths
                .iter()
                .flat_map(|(path, item)| {
                    item.as_object().into_iter().flatten().map(move |(method, _)| (path.clone(), method.clone()))
                })
                .collect();
            if operations.is_empty() {
                return;
            }
            let (path, method) = &operations[from % operations.len()];
            let Some(operation) = document["paths"][path].get(method).cloned() else { return };
            let targets: Vec<String> = paths.keys().cloned().collect();
            let target = &targets[to % targets.len()];
            let methods = ["get", "put", "post", "delete", "patch"];
            let method = methods[to % methods.len()];
            if let Some(item) = document["paths"].get_mut(target).and_then(Value::as_object_mut) {
                item.insert(method.to_owned(), operation);
            }
        }
        Mutation::Wrap(at, how) => {
            let path = pick(&all, *at);
            let Some(node) = node_mut(document, &path) else { return };
            if !node.is_object() {
                return;
            }
            let inner = node.take();
            *node = match how % 4 {
                0 => json!({"allOf": [inner]}),
                1 => json!({"oneOf": [inner, {"type": "string"}]}),
                2 => json!({"anyOf": [inner]}),
                _ => json!({"nullable": true, "allOf": [inner]}),
            };
        }
        Mutation::Retarget(at, to) => {
            let refs: Vec<&Vec<Step>> =
                all.iter().filter(|p| matches!(p.last(), Some(Step::Key(key)) if key == "$ref")).collect();
            if refs.is_empty() {
                return;
            }
            let mut names: Vec<String> = document
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default();
            names.push("Missing".to_owned());
            let target = format!("#/components/schemas/{}", names[to % names.len()]);
            let path = refs[at % refs.len()].clone();
            if let Some(node) = node_mut(document, &path) {
                *node = Value::String(target);
            }
        }
    }
}

fn node_ref<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get(key.as_str()),
        Step::Index(index) => value.get(*index),
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let node = any::<usize>();
    prop_oneof![
        node.prop_map(Mutation::Delete),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::Rename(a, b)),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::OddString(a, b)),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::CopyOperation(a, b)),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::Wrap(a, b)),
        (node, any::<usize>()).prop_map(|(a, b)| Mutation::Retarget(a, b)),
    ]
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The specs to mutate, as JSON, each with the configuration it generates with.
fn bases() -> &'static [(String, Value, Config)] {
    static BASES: OnceLock<Vec<(String, Value, Config)>> = OnceLock::new();
    BASES.get_or_init(|| {
        let root = repo_root();
        let mut files = vec![root.join("spec/atlas-invitations.yaml")];
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/generate"))
            .expect("fixtures dir")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        fixtures.sort();
        files.extend(fixtures);
        files
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("readable spec");
                let value: Value = serde_yaml_ng::from_str(text.trim_start_matches('\u{feff}')).expect("YAML");
                let mut config = Config::default();
                if path.ends_with("spec/atlas-invitations.yaml") {
                    let settings = std::fs::read_to_string(root.join("spec/codegen.yaml")).expect("settings");
                    let settings = SpecSource { name: "spec/codegen.yaml".into(), text: settings };
                    config.settings = parse_settings(&settings).expect("valid settings");
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
                (name, value, config)
            })
            .collect()
    })
}

/// Generates from a mutated spec and checks the outcome.
fn check(base: usize, mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let (name, original, config) = &bases()[base % bases().len()];
    let mut document = original.clone();
    for mutation in mutations {
        apply(&mut document, mutation);
    }
    let source = SpecSource { name: format!("mutated-{name}"), text: document.to_string() };
    if std::env::var_os("MUTATIONS_TRACE").is_some() {
        eprintln!("case: {name} {mutations:?}");
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| generate(config, &source)));
    match outcome {
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(TestCaseError::fail(format!("the generator panicked on {name} after {mutations:?}: {message}")))
        }
        Ok(Err(internal @ Error::Internal { .. })) => {
            Err(TestCaseError::fail(format!("a generator bug on {name} after {mutations:?}: {internal}")))
        }
        Ok(Err(Error::Invalid(diagnostics))) => {
            prop_assert!(!diagnostics.is_empty(), "an error without a problem");
            for diagnostic in diagnostics.iter() {
                let file = &diagnostic.location.file;
                prop_assert!(*file == source.name || *file == config.settings.source, "a problem in {}", file);
            }
            Ok(())
        }
        Ok(Ok(generated)) => {
            for (path, contents) in generated.files.iter().filter(|(path, _)| path.ends_with(".rs")) {
                if let Err(error) = syn::parse_file(contents) {
                    return Err(TestCaseError::fail(format!(
                        "{path} generated from {name} after {mutations:?} does not parse: {error}"
                    )));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn mutated_specs_never_panic_and_ok_output_parses() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..5));
    let result = runner.run(&strategy, |(base, mutations)| check(base, &mutations));
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// Text-level damage (a truncated file, a stray character) is reported as
/// invalid input with a location, never a panic.
#[test]
fn damaged_text_never_panics() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let text = std::fs::read_to_string(repo_root().join("spec/atlas-invitations.yaml")).expect("spec");
    let strategy =
        (any::<usize>(), any::<usize>(), prop::sample::select(vec!["", ":", "\t", "- ", "{", "'", "\r\n", "\u{feff}"]));
    let result = TestRunner::new(config).run(&strategy, |(cut, at, insert)| {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let cut = boundaries[cut % boundaries.len()];
        let at = boundaries[at % boundaries.len()].min(cut);
        let damaged = format!("{}{insert}{}", &text[..at], &text[at..cut]);
        let source = SpecSource { name: "damaged.yaml".into(), text: damaged };
        match catch_unwind(AssertUnwindSafe(|| generate(&Config::default(), &source))) {
            Err(_) => Err(TestCaseError::fail(format!("panicked with a cut at {cut} and {insert:?} at {at}"))),
            Ok(Err(internal @ Error::Internal { .. })) => Err(TestCaseError::fail(format!("{internal}"))),
            Ok(_) => Ok(()),
        }
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// The unmutated bases generate (or are refused) without a panic too; and
/// each of them, so a failing mutation test points at the mutation.
#[test]
fn every_base_generates() {
    for base in 0..bases().len() {
        check(base, &[]).unwrap_or_else(|error| panic!("{error}"));
    }
}
