//! A cursor into the raw document: a JSON value together with its JSON
//! pointer, so every problem found while reading it can say where it is.

use serde_json::Value;

use crate::diagnostics::pointer_join;

/// A value in the document and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its JSON pointer.
    pub pointer: String,
}

impl<'a> Node<'a> {
    /// The whole document.
    pub fn root(value: &'a Value) -> Self {
        Node { value, pointer: String::new() }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.as_object()?.get(key)?;
        Some(Node { value, pointer: pointer_join(&self.pointer, key) })
    }

    /// The pointer of the member `key`, whether it exists or not.
    pub fn pointer_to(&self, key: &str) -> String {
        pointer_join(&self.pointer, key)
    }

    /// An object's members sorted by key, so that nothing the generator does
    /// depends on key order; nothing for other values.
    pub fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        let Some(object) = self.value.as_object() else { return Vec::new() };
        let mut entries: Vec<(&'a str, Node<'a>)> = object
            .iter()
            .map(|(key, value)| (key.as_str(), Node { value, pointer: pointer_join(&self.pointer, key) }))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries
    }

    /// An array's items in order; nothing for other values.
    pub fn items(&self) -> Vec<Node<'a>> {
        let Some(items) = self.value.as_array() else { return Vec::new() };
        items
            .iter()
            .enumerate()
            .map(|(index, value)| Node { value, pointer: format!("{}/{index}", self.pointer) })
            .collect()
    }

    /// The member `key` as a string, when it is one.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.as_object()?.get(key)?.as_str()
    }

    /// Whether the member `key` is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.value.as_object().and_then(|o| o.get(key)).and_then(Value::as_bool).unwrap_or(false)
    }

    /// Whether the member `key` exists.
    pub fn has(&self, key: &str) -> bool {
        self.value.as_object().is_some_and(|o| o.contains_key(key))
    }
}

/// How a value is described in messages: "a string", "an object", …
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
