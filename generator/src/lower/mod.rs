//! Stage 2: lower the document into the IR.
//!
//! Lowering reads the parsed JSON document itself rather than a typed OpenAPI
//! model, so that one malformed part does not hide the others: every problem
//! is recorded with its JSON pointer and lowering carries on, and the caller
//! gets them all at once. Keywords are read on purpose, never skipped by
//! accident: a construct the generator does not support is reported where it
//! is, not dropped (a typed model that ignores `oneOf` next to `type: object`
//! would silently generate the wrong type).
//!
//! Objects are always visited in key order, so output and diagnostics do not
//! depend on how the spec orders its keys. Names are chosen here and by the
//! hoisting pass; whether two of them collide is checked once, afterwards,
//! by `passes::check_names`.

mod compose;
mod node;
mod operations;
mod read;
mod refs;
mod responses;
mod schema;

use std::collections::HashMap;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Target};
use crate::load::LoadedSpec;
use crate::naming;
use node::Node;
use refs::Components;

/// Lowers a spec. Inline schemas stay [`Target::Inline`] for the hoisting
/// pass; releases are left for the release pass. Returns as much as could
/// be lowered with every problem found, so later stages can look for
/// theirs in the same run.
pub fn lower(spec: &LoadedSpec) -> (Api<Target>, Diagnostics) {
    let mut lowering = Lowering::new(spec);
    let api = lowering.api();
    (api, lowering.problems)
}

/// The lowering state: the document, the problems found so far, and what
/// schema lowering needs to follow `$ref`s safely.
pub(crate) struct Lowering<'a> {
    spec: &'a LoadedSpec,
    root: Node<'a>,
    problems: Diagnostics,
    /// The reusable parts of `#/components`, by name.
    components: Components<'a>,
    /// The Rust type name of each component schema.
    schema_types: HashMap<&'a str, String>,
    /// The component schemas whose `allOf` is being merged, innermost last:
    /// a name seen twice is an `allOf` cycle.
    merging: Vec<&'a str>,
    /// The component schema being lowered, if any.
    current_component: Option<&'a str>,
}

impl<'a> Lowering<'a> {
    fn new(spec: &'a LoadedSpec) -> Self {
        Lowering {
            spec,
            root: Node::root(&spec.raw),
            problems: Diagnostics::default(),
            components: Components::default(),
            schema_types: HashMap::new(),
            merging: Vec::new(),
            current_component: None,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.spec.locate(pointer);
        self.problems.push(location, message);
    }

    fn api(&mut self) -> Api<Target> {
        let root = self.root.clone();
        if !root.value.is_object() {
            self.error(
                "",
                format!(
                    "an OpenAPI document must be an object with `openapi`, `info` and `paths`, found {}",
                    node::kind_of(root.value)
                ),
            );
            return Api::default();
        }
        let mut api = Api::default();
        match self.object_member(&root, "info") {
            Some(info) => {
                match self.string_member(&info, "title") {
                    Some(title) => api.title = title.to_owned(),
                    None if !info.has("title") => self.error(&info.pointer, "`info` has no `title`"),
                    None => {}
                }
                api.description = self.string_member(&info, "description").map(str::to_owned);
            }
            None if !root.has("info") => self.error("", "the document has no `info`"),
            None => {}
        }

        if let Some(components) = self.object_member(&root, "components") {
            self.components = self.index_components(&components);
            self.schema_types = self.components.schemas.keys().map(|name| (*name, naming::type_name(name))).collect();
        }
        api.types = self.component_schemas();

        match self.object_member(&root, "paths") {
            Some(paths) => self.operations(&mut api, &paths),
            None if !root.has("paths") => self.error("", "the document has no `paths`"),
            None => {}
        }
        api.operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        api
    }
}

/// Decodes one JSON pointer token (RFC 6901).
fn unescape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}
