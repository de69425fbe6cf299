//! `src/models.rs`: a struct per object schema, an open enum per string enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::types::{rust_type, Scope};
use crate::ir::{Api, EnumValue, Field, TypeDef, TypeKind};

pub fn models_file(api: &Api) -> TokenStream {
    let items = api.types.values().map(|def| match &def.kind {
        TypeKind::Struct(fields) => struct_item(def, fields),
        TypeKind::Enum(values) => enum_item(def, values),
        TypeKind::Alias(target) => {
            let ident = format_ident!("{}", def.name);
            let target = rust_type(target, Scope::Models);
            let doc = type_docs(def);
            quote! { #doc pub type #ident = #target; }
        }
    });
    let doc = docs::inner(["Request and response bodies of the API, one type per schema."]);
    quote! {
        #doc
        #(#items)*
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    let fallback = format!("The `{}` schema.", def.spec_name);
    let description = def.description.as_deref().unwrap_or(&fallback);
    let deprecated = if def.deprecated { quote!(#[deprecated]) } else { quote!() };
    let doc = docs::outer([description]);
    quote! { #doc #deprecated }
}

fn struct_item(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let ident = format_ident!("{}", def.name);
    let doc = type_docs(def);
    let all_optional = fields.iter().all(|f| !f.required);
    let default = if all_optional { quote!(Default,) } else { quote!() };
    let fields = fields.iter().map(field);
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #ident {
            #(#fields,)*
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let mut ty = rust_type(&field.ty, Scope::Models);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let optional = !field.required || field.nullable;
    if optional {
        ty = quote!(::std::option::Option<#ty>);
    }

    let mut serde_args = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    if !field.required {
        serde_args.push(quote!(default, skip_serializing_if = "::std::option::Option::is_none"));
    }
    let serde = if serde_args.is_empty() { quote!() } else { quote!(#[serde(#(#serde_args),*)]) };

    let fallback = format!("The `{}` property.", field.wire_name);
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("Read-only: set by the server and ignored in requests.".to_owned());
    }
    if let Some(pattern) = &field.pattern {
        notes.push(format!(
            "Documented pattern: `{pattern}` (not checked when decoding, so an unexpected value from the server still decodes)."
        ));
    }
    let doc = docs::outer(
        std::iter::once(field.description.as_deref().unwrap_or(&fallback)).chain(notes.iter().map(String::as_str)),
    );
    let deprecated = if field.deprecated { quote!(#[deprecated]) } else { quote!() };
    quote! {
        #doc
        #deprecated
        #serde
        pub #ident: #ty
    }
}

fn enum_item(def: &TypeDef, values: &[EnumValue]) -> TokenStream {
    let ident = format_ident!("{}", def.name);
    let doc = type_docs(def);
    let taken = |name: &str| values.iter().any(|v| v.rust_name == name);
    let fallback = format_ident!("{}", if taken("Unknown") { "Unrecognized" } else { "Unknown" });
    let variants: Vec<_> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<_> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| {
        let text = format!("`{wire}`");
        docs::outer([text.as_str()])
    });
    let expecting = format!("a {} string", def.name);
    let open_note = format!(
        " Open to new values: one this crate does not know yet is kept in [`{ident}::{fallback}`] as the server sent it."
    );
    quote! {
        #doc
        ///
        #[doc = #open_note]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #( #variant_docs #variants, )*
            /// A value this version of the crate does not know, kept as received.
            #fallback(crate::UnknownValue),
        }

        impl #ident {
            /// Every value the spec lists, in its order.
            pub const KNOWN: &'static [#ident] = &[#( #ident::#variants ),*];

            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #ident::#variants => #wires, )*
                    #ident::#fallback(value) => value.as_str(),
                }
            }
        }

        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(match value {
                    #( #wires => #ident::#variants, )*
                    other => #ident::#fallback(crate::UnknownValue::new(other)),
                })
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::deserialize_open_enum(deserializer, #expecting)
            }
        }
    }
}
