//! Type references → Rust types, with std spelled out in full so a schema
//! named `Option`, `String` or `Vec` cannot shadow anything.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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

/// The Rust type of a reference.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            match scope {
                Scope::Models => quote!(#ident),
                Scope::Crate => quote!(crate::models::#ident),
            }
        }
        // The hoisting pass names every inline type before emission.
        TypeRef::Inline(inline) => {
            let message = format!("inline type at {} was not hoisted", inline.pointer);
            quote!(compile_error!(#message))
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Integer(IntegerKind::I32) => quote!(i32),
        TypeRef::Integer(IntegerKind::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Array(items) => {
            let items = rust_type(items, scope);
            quote!(::std::vec::Vec<#items>)
        }
        TypeRef::Map(values) => {
            let values = rust_type(values, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #values>)
        }
        TypeRef::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
    }
}
