//! Type references → Rust types, with std spelled out in full so a schema
//! named `Option`, `String` or `Vec` cannot shadow anything.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::Type;

use super::syntax::{generic_type, path, path_type};
use crate::ir::{IntegerKind, TypeRef};

/// Where a type is printed: model types are local inside `models`, and
/// `crate::models::X` everywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the `models` module.
    Models,
    /// Anywhere else in the crate.
    Crate,
}

/// The Rust type of a reference, as tokens.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    syn_type(ty, scope).into_token_stream()
}

/// The Rust type of a reference.
pub fn syn_type(ty: &TypeRef, scope: Scope) -> Type {
    match ty {
        TypeRef::Named(name) => match scope {
            Scope::Models => path_type(path(false, [name.as_str()])),
            Scope::Crate => path_type(path(false, ["crate", "models", name.as_str()])),
        },
        // The hoisting pass names every inline type before emission.
        TypeRef::Inline(inline) => {
            let message = format!("inline type at {} was not hoisted", inline.pointer);
            Type::Macro(syn::TypeMacro {
                mac: syn::Macro {
                    path: path(false, ["compile_error"]),
                    bang_token: Default::default(),
                    delimiter: syn::MacroDelimiter::Paren(Default::default()),
                    tokens: quote!(#message),
                },
            })
        }
        TypeRef::String => string(),
        TypeRef::DateTime => generic_type(true, ["chrono", "DateTime"], vec![path_type(path(true, ["chrono", "Utc"]))]),
        TypeRef::Boolean => primitive("bool"),
        TypeRef::Integer(IntegerKind::I32) => primitive("i32"),
        TypeRef::Integer(IntegerKind::I64) => primitive("i64"),
        TypeRef::Number => primitive("f64"),
        TypeRef::Array(items) => vec_of(syn_type(items, scope)),
        TypeRef::Map(values) => {
            generic_type(true, ["std", "collections", "BTreeMap"], vec![string(), syn_type(values, scope)])
        }
        TypeRef::Object => generic_type(true, ["serde_json", "Map"], vec![string(), json_value()]),
        TypeRef::Any => json_value(),
        TypeRef::Nullable(inner) => option_of(syn_type(inner, scope)),
    }
}

/// `::std::option::Option<T>`.
pub fn option_of(inner: Type) -> Type {
    generic_type(true, ["std", "option", "Option"], vec![inner])
}

/// `::std::boxed::Box<T>`.
pub fn box_of(inner: Type) -> Type {
    generic_type(true, ["std", "boxed", "Box"], vec![inner])
}

fn vec_of(items: Type) -> Type {
    generic_type(true, ["std", "vec", "Vec"], vec![items])
}

fn string() -> Type {
    path_type(path(true, ["std", "string", "String"]))
}

fn json_value() -> Type {
    path_type(path(true, ["serde_json", "Value"]))
}

fn primitive(name: &str) -> Type {
    path_type(path(false, [name]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_print_as_written() {
        let nullable_list = TypeRef::Nullable(Box::new(TypeRef::Array(Box::new(TypeRef::Named("Role".into())))));
        let cases = [
            (
                nullable_list,
                Scope::Crate,
                ":: std :: option :: Option < :: std :: vec :: Vec < crate :: models :: Role > >",
            ),
            (
                TypeRef::Map(Box::new(TypeRef::Any)),
                Scope::Models,
                ":: std :: collections :: BTreeMap < :: std :: string :: String , :: serde_json :: Value >",
            ),
            (TypeRef::DateTime, Scope::Models, ":: chrono :: DateTime < :: chrono :: Utc >"),
            (TypeRef::Integer(IntegerKind::I64), Scope::Models, "i64"),
        ];
        for (ty, scope, printed) in cases {
            assert_eq!(rust_type(&ty, scope).to_string(), printed);
        }
    }
}
