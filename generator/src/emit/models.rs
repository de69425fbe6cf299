//! `src/models.rs`: a struct per object schema, an open enum per string enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::types::{rust_type, Scope};
use crate::ir::{Api, EnumValue, Field, TypeDef, TypeKind, Union};

/// Types per part of `models.rs`: parts are formatted in parallel and
/// joined in order, so a full spec's models do not wait on one thread.
pub const TYPES_PER_PART: usize = 48;

/// How many parts `models.rs` has.
pub fn part_count(api: &Api) -> usize {
    api.types.len().div_ceil(TYPES_PER_PART).max(1)
}

/// Part `part` of `models.rs`: the module docs (first part only) and its share
/// of the types, in name order.
pub fn models_part(api: &Api, part: usize) -> TokenStream {
    let types = api.types.values().skip(part * TYPES_PER_PART).take(TYPES_PER_PART);
    let items = types.map(|def| match &def.kind {
        TypeKind::Struct(fields) => struct_item(def, fields),
        TypeKind::Enum(values) => enum_item(def, values),
        TypeKind::Union(union) => union_item(def, union),
        TypeKind::Alias(target) => {
            let ident = format_ident!("{}", def.name);
            let target = rust_type(target, Scope::Models);
            let doc = type_docs(def);
            quote! { #doc pub type #ident = #target; }
        }
    });
    let doc = (part == 0).then(|| docs::inner(["Request and response bodies of the API, one type per schema."]));
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
    let all_optional = fields.iter().all(|f| !f.required || f.flatten);
    let default = if all_optional { quote!(Default,) } else { quote!() };
    // The runtime's `deserialize_struct!` decodes with much less compiler
    // work than serde's derive, which stays only for the rare struct with a
    // flattened map of other properties.
    let derived_deserialize = fields.iter().any(|f| f.flatten);
    let (derive_deserialize, deserialize_impl) = if derived_deserialize {
        (quote!(::serde::Deserialize,), quote!())
    } else {
        (quote!(), deserialize_struct(&ident, fields))
    };
    let field_items = fields.iter().map(|f| field(f, derived_deserialize));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, #derive_deserialize)]
        pub struct #ident {
            #(#field_items,)*
        }
        #deserialize_impl
    }
}

/// The `deserialize_struct!` call that decodes a struct: for each field,
/// whether it is an `Option`, its index, wire name and Rust name.
fn deserialize_struct(ident: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let entries = fields.iter().enumerate().map(|(index, field)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let wire = &field.wire_name;
        let rust = format_ident!("{}", field.rust_name);
        let kind = if is_optional(field) { quote!(optional) } else { quote!(required) };
        quote!(#kind #index #wire => #rust)
    });
    quote! {
        crate::runtime::deserialize_struct!(#ident { #(#entries),* });
    }
}

/// Whether the field is an `Option`: not required, or nullable.
fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// One struct field; `derived_deserialize` says whether serde's derive
/// decodes the struct and so needs `default` on optional fields.
fn field(field: &Field, derived_deserialize: bool) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let mut ty = rust_type(&field.ty, Scope::Models);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if is_optional(field) {
        ty = quote!(::std::option::Option<#ty>);
    }

    let mut serde_args = Vec::new();
    if field.flatten {
        serde_args.push(quote!(flatten));
    } else if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    if !field.required {
        if derived_deserialize {
            serde_args.push(quote!(default));
        }
        serde_args.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    let serde = if serde_args.is_empty() { quote!() } else { quote!(#[serde(#(#serde_args),*)]) };

    let fallback = format!("The `{}` property.", field.wire_name);
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("Read-only: set by the server and ignored in requests.".to_owned());
    }
    if let Some(pattern) = &field.pattern {
        notes.push(format!(
            "Documented pattern: {} (not checked when decoding, so an unexpected value from the server still decodes).",
            docs::code(pattern)
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
    let fallback = format_ident!("{}", fallback_name(values.iter().map(|v| v.rust_name.as_str())));
    let variants: Vec<_> = values.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let wires: Vec<_> = values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| {
        let text = docs::code(wire);
        docs::outer([text.as_str()])
    });
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

        crate::runtime::open_enum_traits!(#ident, #fallback);
    }
}

/// The name of the variant that keeps values the spec does not list: the
/// first of a few that no listed value took.
fn fallback_name<'a>(taken: impl Iterator<Item = &'a str> + Clone) -> &'static str {
    ["Unknown", "Unrecognized", "Other", "UnknownValue"]
        .into_iter()
        .find(|name| !taken.clone().any(|t| t == *name))
        .unwrap_or("UnlistedValue")
}

/// `oneOf`/`anyOf`: an enum with a variant per alternative and one that
/// keeps anything else as JSON. With a discriminator the variant is chosen
/// by the discriminator's value, and each variant's type carries the
/// discriminator property itself, so serializing writes it back; without
/// one the alternatives are tried in order (serde's untagged enums).
fn union_item(def: &TypeDef, union: &Union) -> TokenStream {
    let ident = format_ident!("{}", def.name);
    let doc = type_docs(def);
    let fallback = format_ident!("{}", fallback_name(union.variants.iter().map(|v| v.rust_name.as_str())));
    let variant_idents: Vec<_> = union.variants.iter().map(|v| format_ident!("{}", v.rust_name)).collect();
    let variant_types: Vec<_> = union
        .variants
        .iter()
        .map(|v| {
            let ty = rust_type(&v.ty, Scope::Models);
            if v.boxed {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let Some(property) = &union.discriminator else {
        let variant_docs = union.variants.iter().map(|variant| {
            let text = format!("The value as `{}`.", variant.rust_name);
            docs::outer([text.as_str()])
        });
        let note = " The spec gives no discriminator: decoding tries the alternatives in this order and takes \
                    the first that fits.";
        return quote! {
            #doc
            ///
            #[doc = #note]
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #ident {
                #( #variant_docs #variant_idents(#variant_types), )*
                /// A value that fits none of the alternatives, kept as received.
                #fallback(::serde_json::Value),
            }
        };
    };
    let variant_docs = union.variants.iter().map(|variant| {
        let tags: Vec<String> = variant.tags.iter().map(|tag| docs::code(tag)).collect();
        let text = format!("{} is {}.", docs::code(property), tags.join(" or "));
        docs::outer([text.as_str()])
    });
    let arms = union.variants.iter().zip(&variant_idents).map(|(variant, name)| {
        let tags = &variant.tags;
        let wrap = if variant.boxed {
            quote!(|value| #ident::#name(::std::boxed::Box::new(value)))
        } else {
            quote!(#ident::#name)
        };
        quote! {
            ::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value)
                .map(#wrap)
                .map_err(::serde::de::Error::custom),
        }
    });
    let fallback_doc =
        format!(" A value whose `{property}` this version of the crate does not know, kept as received.");
    let note = format!(
        " Which alternative a value is depends on its `{property}` property; a value whose `{property}` is \
         none of these is kept in [`{ident}::{fallback}`] as received."
    );
    quote! {
        #doc
        ///
        #[doc = #note]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #ident {
            #( #variant_docs #variant_idents(#variant_types), )*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #ident::#variant_idents(value) => ::serde::Serialize::serialize(value, serializer), )*
                    #ident::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(#ident::#fallback(value)),
                }
            }
        }
    }
}
