//! Whether values of one type are values of another on the wire, as the
//! generated code writes and reads them. A type change breaks a request
//! only if the new type refuses some old value, and breaks an answer only
//! if the old type cannot read some new value.
//!
//! Enums are open (an unknown value is kept), so every enum reads and
//! writes as a string. Named types compare by structure, so a schema
//! renamed upstream, or one that only gained optional properties, still
//! takes the values it took.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::surface::Surface;

/// A type of the notation, with the surface its names are in.
#[derive(Clone, Copy)]
pub(super) struct Typed<'a> {
    pub ty: &'a str,
    pub surface: &'a Surface,
}

/// Two named types and where the first is.
type Key = (String, String, usize);

/// Answers "does this type take every value of that one?", remembering
/// the pairs of named types already compared, and assuming the pairs under
/// comparison alike so that recursive types end.
#[derive(Default)]
pub(super) struct Shapes {
    comparing: RefCell<BTreeSet<Key>>,
    compared: RefCell<BTreeMap<Key, bool>>,
}

impl Shapes {
    /// Whether `taker` takes every value of `value`.
    pub fn takes(&self, taker: Typed<'_>, value: Typed<'_>) -> bool {
        match (split(taker.ty), split(value.ty)) {
            (Shape::Nullable(inner), Shape::Nullable(other)) => self.takes(taker.with(inner), value.with(other)),
            (Shape::Nullable(inner), _) => self.takes(taker.with(inner), value),
            (_, Shape::Nullable(_)) => false,
            (Shape::Array(inner), Shape::Array(other)) | (Shape::Map(inner), Shape::Map(other)) => {
                self.takes(taker.with(inner), value.with(other))
            }
            (Shape::Leaf(wide), Shape::Leaf(narrow)) => self.leaf_takes(taker.with(wide), value.with(narrow)),
            (Shape::Leaf("any"), _) => true,
            _ => false,
        }
    }

    fn leaf_takes(&self, taker: Typed<'_>, value: Typed<'_>) -> bool {
        let (wide, narrow) = (as_scalar(taker), as_scalar(value));
        match (wide, narrow) {
            // A named type's own changes are judged where it is defined.
            _ if wide == narrow => true,
            ("any", _) | ("string", "datetime") | ("integer(i64)", "integer(i32)") => true,
            // A success read as nothing, or as bytes, takes any body.
            ("none" | "raw", _) => true,
            ("number", "integer(i32)" | "integer(i64)") => true,
            ("object", _) => is_named(narrow) && kind(value.with(narrow)) == Some("struct"),
            _ if is_named(wide) && is_named(narrow) => self.named_takes(taker.with(wide), value.with(narrow)),
            _ => false,
        }
    }

    /// Whether named type `taker` takes every value of named type `value`.
    fn named_takes(&self, taker: Typed<'_>, value: Typed<'_>) -> bool {
        // The same name may be in both surfaces: each side's surface is part of the key.
        let key = (taker.ty.to_owned(), value.ty.to_owned(), std::ptr::from_ref(taker.surface) as usize);
        if let Some(&known) = self.compared.borrow().get(&key) {
            return known;
        }
        if !self.comparing.borrow_mut().insert(key.clone()) {
            return true;
        }
        let takes = self.structure_takes(taker, value);
        self.comparing.borrow_mut().remove(&key);
        self.compared.borrow_mut().insert(key, takes);
        takes
    }

    /// Whether the structure of `taker` takes every value of `value`: what
    /// it needs is always there, and each property it shares takes the
    /// other's values. What it does not know it ignores (readers skip
    /// unknown properties; the API takes them unless it says otherwise).
    fn structure_takes<'s>(&self, taker: Typed<'s>, value: Typed<'s>) -> bool {
        let (Some(wide), Some(narrow)) = (taker.surface.types.get(taker.ty), value.surface.types.get(value.ty)) else {
            return false;
        };
        if wide.kind != narrow.kind || wide.discriminator != narrow.discriminator {
            return false;
        }
        let takes = |x: &'s str, y: &'s str| self.takes(taker.with(x), value.with(y));
        let needed = |required: bool, nullable: bool| required && !nullable;
        let properties = wide.properties.iter().all(|(wire, p)| match narrow.properties.get(wire) {
            Some(q) => (!needed(p.required, p.nullable) || needed(q.required, q.nullable)) && takes(&p.ty, &q.ty),
            None => !needed(p.required, p.nullable),
        });
        let others = match (&wide.others, &narrow.others) {
            (Some(x), Some(y)) => takes(x, y),
            _ => true,
        };
        let variants =
            narrow.variants.values().all(|q| wide.variants.values().any(|p| p.tags == q.tags && takes(&p.ty, &q.ty)));
        let alias = match (&wide.alias, &narrow.alias) {
            (Some(x), Some(y)) => takes(x, y),
            (x, y) => x.is_none() && y.is_none(),
        };
        properties && others && variants && alias
    }
}

impl<'a> Typed<'a> {
    fn with(self, ty: &'a str) -> Typed<'a> {
        Typed { ty, surface: self.surface }
    }
}

/// The outermost layer of a type of the notation.
enum Shape<'a> {
    Nullable(&'a str),
    Array(&'a str),
    Map(&'a str),
    Leaf(&'a str),
}

fn split(ty: &str) -> Shape<'_> {
    if let Some(inner) = ty.strip_suffix('?') {
        Shape::Nullable(inner)
    } else if let Some(inner) = ty.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
        Shape::Array(inner)
    } else if let Some(inner) = ty.strip_prefix("{string: ").and_then(|rest| rest.strip_suffix('}')) {
        Shape::Map(inner)
    } else {
        Shape::Leaf(ty)
    }
}

fn is_named(ty: &str) -> bool {
    ty.starts_with(|c: char| c.is_ascii_uppercase())
}

fn kind<'a>(typed: Typed<'a>) -> Option<&'a str> {
    typed.surface.types.get(typed.ty).map(|ty| ty.kind.as_str())
}

/// An enum as the string it is on the wire; any other type as it is.
fn as_scalar(typed: Typed<'_>) -> &str {
    if kind(typed) == Some("enum") {
        "string"
    } else {
        typed.ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{Property, Type};

    fn object(properties: &[(&str, &str, bool)]) -> Type {
        let mut ty: Type =
            serde_json::from_value(serde_json::json!({"kind": "struct", "pointer": "/"})).expect("a type");
        for (wire, property_type, required) in properties {
            let property = Property {
                ty: (*property_type).to_owned(),
                required: *required,
                nullable: false,
                deprecated: false,
                field: (*wire).to_owned(),
                boxed: false,
                pointer: "/".to_owned(),
                constraints: Default::default(),
            };
            ty.properties.insert((*wire).to_owned(), property);
        }
        ty
    }

    fn surface(types: Vec<(&str, Type)>) -> Surface {
        Surface { types: types.into_iter().map(|(name, ty)| (name.to_owned(), ty)).collect(), ..Surface::default() }
    }

    #[test]
    fn wider_scalars_take_narrower_ones() {
        let s = Surface::default();
        let shapes = Shapes::default();
        let t = |ty| Typed { ty, surface: &s };
        assert!(shapes.takes(t("integer(i64)"), t("integer(i32)")));
        assert!(!shapes.takes(t("integer(i32)"), t("integer(i64)")));
        assert!(shapes.takes(t("[string]?"), t("[datetime]")));
        assert!(!shapes.takes(t("string"), t("string?")));
    }

    #[test]
    fn renamed_schemas_with_the_same_structure_are_the_same_on_the_wire() {
        let role: Type =
            serde_json::from_value(serde_json::json!({"kind": "enum", "pointer": "/", "values": {"A": "A"}}))
                .expect("an enum");
        let old =
            surface(vec![("TeamView", object(&[("name", "string", true), ("role", "Role", false)])), ("Role", role)]);
        let new = surface(vec![("Team", object(&[("name", "string", true), ("role", "string", false)]))]);
        let shapes = Shapes::default();
        let (was, is) = (Typed { ty: "TeamView", surface: &old }, Typed { ty: "Team", surface: &new });
        assert!(shapes.takes(was, is) && shapes.takes(is, was));
        // An old reader needs `name`; the new API may leave it out.
        let other = surface(vec![("Team", object(&[("name", "string", false)]))]);
        let optional = Typed { ty: "Team", surface: &other };
        assert!(!Shapes::default().takes(was, optional));
        assert!(Shapes::default().takes(optional, was), "the API takes every old value");
    }
}
