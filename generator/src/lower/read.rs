//! Reading members of the document with their types checked: a member of
//! the wrong type is a problem at its pointer, and reading carries on.

use super::node::{kind_of, Node};
use super::Lowering;

impl<'a> Lowering<'a> {
    /// The member `key` when it is an object; a problem when it is something else.
    pub(super) fn object_member(&mut self, node: &Node<'a>, key: &str) -> Option<Node<'a>> {
        let member = node.get(key)?;
        if member.value.is_object() {
            Some(member)
        } else {
            self.error(&member.pointer, format!("`{key}` must be an object, found {}", kind_of(member.value)));
            None
        }
    }

    /// The items of the member `key` when it is an array; a problem when it is something else.
    pub(super) fn array_member(&mut self, node: &Node<'a>, key: &str) -> Vec<Node<'a>> {
        let Some(member) = node.get(key) else { return Vec::new() };
        if member.value.is_array() {
            member.items()
        } else {
            self.error(&member.pointer, format!("`{key}` must be an array, found {}", kind_of(member.value)));
            Vec::new()
        }
    }

    /// The member `key` when it is a string; a problem when it is something else.
    pub(super) fn string_member(&mut self, node: &Node<'a>, key: &str) -> Option<&'a str> {
        let member = node.get(key)?;
        match member.value.as_str() {
            Some(text) => Some(text),
            None => {
                self.error(&member.pointer, format!("`{key}` must be a string, found {}", kind_of(member.value)));
                None
            }
        }
    }

    /// Whether the member `key` is `true`; a problem when it is not a boolean.
    pub(super) fn bool_member(&mut self, node: &Node<'a>, key: &str) -> bool {
        let Some(member) = node.get(key) else { return false };
        match member.value.as_bool() {
            Some(flag) => flag,
            None => {
                self.error(
                    &member.pointer,
                    format!("`{key}` must be `true` or `false`, found {}", kind_of(member.value)),
                );
                false
            }
        }
    }

    /// Whether `node` is an object; a problem naming `what` when it is not.
    pub(super) fn expect_object(&mut self, node: &Node<'a>, what: &str) -> bool {
        if node.value.is_object() {
            return true;
        }
        self.error(&node.pointer, format!("{what} must be an object, found {}", kind_of(node.value)));
        false
    }
}
