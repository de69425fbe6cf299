//! `Cargo.toml` of the generated crate, built as a TOML document from the
//! package and from the runtime's own manifest: the runtime is copied into
//! the crate, so its dependencies are the crate's, from one list.

use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table};

use super::RUNTIME_MANIFEST;
use crate::ir::{Api, Package};

/// The manifest, after `header` (a comment line that marks the file generated).
pub fn manifest(api: &Api, package: &Package, example: Option<&str>, header: &str) -> String {
    let runtime: DocumentMut = RUNTIME_MANIFEST.parse().expect("the runtime's manifest is valid TOML");
    let mut document = DocumentMut::new();

    let mut about = Table::new();
    about["name"] = value(&package.name);
    about["version"] = value(&package.version);
    about["edition"] = value("2021");
    about["rust-version"] = value("1.85");
    about["description"] = value(&package.description);
    if let Some(license) = &package.license {
        about["license"] = value(license);
    }
    if let Some(repository) = &package.repository {
        about["repository"] = value(repository);
    }
    about["readme"] = value("README.md");
    if !package.keywords.is_empty() {
        about["keywords"] = value(package.keywords.iter().collect::<Array>());
    }
    about["categories"] = value(package.categories.iter().collect::<Array>());
    about.decor_mut().set_prefix(format!("# {header}\n\n"));
    document["package"] = Item::Table(about);

    let mut features = Table::new();
    features["default"] = value(Array::from_iter(["client"]));
    features["client"] = runtime["features"]["client"].clone();
    if let Some((mut key, _)) = features.get_key_value_mut("client") {
        comment(
            &mut key,
            "The async client (reqwest with rustls, on tokio). Without it the crate is\n\
             sans-IO: endpoint functions build `http::Request`s and parse responses.",
        );
    }
    features["mock"] = runtime["features"]["mock"].clone();
    if let Some((mut key, _)) = features.get_key_value_mut("mock") {
        comment(
            &mut key,
            "`mock`: a mock Atlas on 127.0.0.1 for tests (wiremock), typed by the endpoint\n\
             functions. For dev-dependencies.",
        );
    }
    features["unstable-latest"] = value(Array::new());
    if let Some((mut key, _)) = features.get_key_value_mut("unstable-latest") {
        comment(
            &mut key,
            "`latest`, the newest API release, which moves in minor versions: semver does\n\
             not cover it. Pin a dated release module instead where that matters.",
        );
    }
    document["features"] = Item::Table(features);

    let mut dependencies = Table::new();
    let runtime_dependencies = runtime["dependencies"].as_table().expect("the runtime has dependencies");
    for (name, dependency) in runtime_dependencies.iter().filter(|(_, d)| !is_optional(d)) {
        dependencies[name] = inline(dependency);
    }
    if api.needs_regex() {
        let regex = runtime_dependencies["regex"]["version"].as_value().cloned().expect("a version");
        dependencies["regex"] = Item::Value(regex);
    }
    dependencies.sort_values();
    // The client's and the mock's dependencies are those their features turn on.
    for (feature, note) in [("client", "The client's (feature `client`)."), ("mock", "The mock's (feature `mock`).")] {
        let turned_on = feature_dependencies(&runtime, feature);
        for (name, dependency) in &turned_on {
            dependencies[*name] = inline(dependency);
        }
        if let Some((mut key, _)) = turned_on.first().and_then(|(name, _)| dependencies.get_key_value_mut(name)) {
            comment(&mut key, note);
        }
    }
    document["dependencies"] = Item::Table(dependencies);

    // The example program and the client docs' example run on tokio.
    let mut tokio = InlineTable::new();
    tokio.insert("version", runtime_dependencies["tokio"]["version"].as_value().cloned().expect("a version"));
    tokio.insert("features", Array::from_iter(["macros", "rt"]).into());
    let mut dev = Table::new();
    dev["tokio"] = value(tokio);
    document["dev-dependencies"] = Item::Table(dev);

    let mut lints = Table::new();
    lints["missing_docs"] = value("warn");
    lints["unsafe_code"] = value("forbid");
    let mut lint_groups = Table::new();
    lint_groups.set_implicit(true);
    lint_groups["rust"] = Item::Table(lints);
    document["lints"] = Item::Table(lint_groups);

    if let Some(example) = example {
        let mut target = Table::new();
        target["name"] = value(example);
        target["required-features"] = value(Array::from_iter(["client"]));
        let mut targets = toml_edit::ArrayOfTables::new();
        targets.push(target);
        document["example"] = Item::ArrayOfTables(targets);
    }
    document.to_string()
}

/// The runtime's dependencies that its `feature` turns on (`dep:name`).
fn feature_dependencies<'a>(runtime: &'a DocumentMut, feature: &str) -> Vec<(&'a str, &'a Item)> {
    let entries = runtime["features"][feature].as_array().expect("the runtime has the feature");
    let turns_on = |name: &str| entries.iter().any(|entry| entry.as_str() == Some(&format!("dep:{name}")));
    let dependencies = runtime["dependencies"].as_table().expect("the runtime has dependencies");
    dependencies.iter().filter(|(name, _)| turns_on(name)).collect()
}

fn is_optional(dependency: &Item) -> bool {
    dependency.get("optional").and_then(Item::as_bool).unwrap_or(false)
}

/// A dependency as an inline table, or a plain version string.
fn inline(dependency: &Item) -> Item {
    match dependency {
        Item::Table(table) => value(table.clone().into_inline_table()),
        other => {
            let mut other = other.clone();
            if let Some(value) = other.as_value_mut() {
                value.decor_mut().clear();
            }
            other
        }
    }
}

/// Puts `text` as `#` comment lines above a key.
fn comment(key: &mut toml_edit::KeyMut<'_>, text: &str) {
    let lines: String = text.lines().map(|line| format!("# {line}\n")).collect();
    key.leaf_decor_mut().set_prefix(lines);
}
