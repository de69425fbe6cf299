//! The one way lowering follows a `$ref`: into a section of
//! `#/components`, one hop ([`Lowering::target`]) or to the end of a chain
//! ([`Lowering::follow`], [`Lowering::resolve_schema`]). External documents
//! and references elsewhere in the document are refused.

use std::collections::BTreeMap;

use super::node::{kind_of, Node};
use super::{unescape_token, Lowering};

/// The sections of `#/components` that `$ref`s point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Schemas => "schemas",
            Section::Parameters => "parameters",
            Section::Responses => "responses",
            Section::RequestBodies => "requestBodies",
        }
    }

    /// What a component of the section is, for messages: "a schema".
    fn what(self) -> &'static str {
        match self {
            Section::Schemas => "a schema",
            Section::Parameters => "a parameter",
            Section::Responses => "a response",
            Section::RequestBodies => "a request body",
        }
    }
}

/// The components `$ref`s can point to, by section and name.
#[derive(Default)]
pub(super) struct Components<'a> {
    pub(super) schemas: BTreeMap<&'a str, Node<'a>>,
    parameters: BTreeMap<&'a str, Node<'a>>,
    responses: BTreeMap<&'a str, Node<'a>>,
    request_bodies: BTreeMap<&'a str, Node<'a>>,
}

impl<'a> Components<'a> {
    fn section(&self, section: Section) -> &BTreeMap<&'a str, Node<'a>> {
        match section {
            Section::Schemas => &self.schemas,
            Section::Parameters => &self.parameters,
            Section::Responses => &self.responses,
            Section::RequestBodies => &self.request_bodies,
        }
    }
}

/// Why a `$ref` leads nowhere.
enum Unresolved {
    /// Another document.
    External,
    /// Somewhere in this document other than the section.
    Elsewhere,
    /// A name the section does not have.
    Missing,
    /// A chain of `$ref`s that comes back to itself.
    Cycle,
}

impl<'a> Lowering<'a> {
    /// Indexes the sections of `#/components`, reporting any that is not an object.
    pub(super) fn index_components(&mut self, components: &Node<'a>) -> Components<'a> {
        let mut index = Components::default();
        for section in [Section::Schemas, Section::Parameters, Section::Responses, Section::RequestBodies] {
            let Some(entries) = self.object_member(components, section.key()) else { continue };
            let entries = entries.entries().into_iter().collect();
            match section {
                Section::Schemas => index.schemas = entries,
                Section::Parameters => index.parameters = entries,
                Section::Responses => index.responses = entries,
                Section::RequestBodies => index.request_bodies = entries,
            }
        }
        index
    }

    /// The component a `$ref` names, one hop: its name and node.
    fn lookup(&self, section: Section, reference: &str) -> Result<(&'a str, Node<'a>), Unresolved> {
        let prefix = format!("#/components/{}/", section.key());
        let Some(name) = reference.strip_prefix(&prefix).filter(|name| !name.contains('/')) else {
            return Err(if reference.starts_with('#') { Unresolved::Elsewhere } else { Unresolved::External });
        };
        let name = unescape_token(name);
        let (name, node) = self.components.section(section).get_key_value(&*name).ok_or(Unresolved::Missing)?;
        Ok((*name, node.clone()))
    }

    /// `node`, or the component its chain of `$ref`s ends in.
    fn chain_end(&self, section: Section, node: &Node<'a>) -> Result<Node<'a>, Unresolved> {
        let mut current = node.clone();
        let mut seen = Vec::new();
        while let Some(reference) = current.str("$ref") {
            let (name, target) = self.lookup(section, reference)?;
            if seen.contains(&name) {
                return Err(Unresolved::Cycle);
            }
            seen.push(name);
            current = target;
        }
        Ok(current)
    }

    fn report(&mut self, section: Section, reference: &str, pointer: &str, problem: Unresolved) {
        let prefix = format!("#/components/{}/", section.key());
        let message = match problem {
            Unresolved::External => {
                format!("external `$ref: {reference}` is not supported; inline the referenced document")
            }
            Unresolved::Elsewhere => format!("`$ref: {reference}` must point into {prefix}"),
            Unresolved::Missing => format!("`$ref: {reference}` points to {} that does not exist", section.what()),
            Unresolved::Cycle => format!("`$ref: {reference}` is part of a cycle of `$ref`s"),
        };
        self.error(pointer, message);
    }

    /// The `$ref` of `node` as a string, if it has one; a problem when it is
    /// not a string.
    pub(super) fn reference(&mut self, node: &Node<'a>) -> Option<Result<&'a str, ()>> {
        let reference = node.get("$ref")?;
        Some(match reference.value.as_str() {
            Some(text) => Ok(text),
            None => {
                self.error(&reference.pointer, format!("`$ref` must be a string, found {}", kind_of(reference.value)));
                Err(())
            }
        })
    }

    /// The component a `$ref` names, one hop, reporting at `pointer` when there is none.
    pub(super) fn target(&mut self, section: Section, reference: &str, pointer: &str) -> Option<(&'a str, Node<'a>)> {
        match self.lookup(section, reference) {
            Ok(found) => Some(found),
            Err(problem) => {
                self.report(section, reference, pointer, problem);
                None
            }
        }
    }

    /// `node` itself, or, when it is a `$ref`, the component its chain of
    /// `$ref`s ends in, which must be an object; a problem otherwise.
    pub(super) fn follow(&mut self, section: Section, node: &Node<'a>) -> Option<Node<'a>> {
        if !self.expect_object(node, section.what()) {
            return None;
        }
        let reference = match self.reference(node) {
            None => return Some(node.clone()),
            Some(Err(())) => return None,
            Some(Ok(reference)) => reference,
        };
        match self.chain_end(section, node) {
            Ok(found) => self.expect_object(&found, section.what()).then_some(found),
            Err(problem) => {
                self.report(section, reference, &node.pointer, problem);
                None
            }
        }
    }

    /// The schema a chain of `$ref`s from `node` ends in (or `node` itself),
    /// without reporting: the broken reference is reported where it is lowered.
    pub(super) fn resolve_schema(&self, node: &Node<'a>) -> Option<Node<'a>> {
        self.chain_end(Section::Schemas, node).ok()
    }

    /// The name of the component schema a `$ref` names, when it exists.
    pub(super) fn schema_name(&self, reference: &str) -> Option<&'a str> {
        self.lookup(Section::Schemas, reference).ok().map(|(name, _)| name)
    }

    /// The component schema called `name`.
    pub(super) fn schema_named(&self, name: &str) -> Option<Node<'a>> {
        self.components.schemas.get(name).cloned()
    }
}
