//! `oneOf`/`anyOf` in `src/models.rs`: an enum with a variant per
//! alternative and one that keeps anything else as JSON. With a
//! discriminator the variant is chosen by the discriminator's value, and
//! each variant's type carries the discriminator property itself, so
//! serializing writes it back; without one the alternatives are tried in
//! order (serde's untagged enums).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::types::Spelling;
use crate::ir::{TypeDef, Union};

pub fn union_items(def: &TypeDef, union: &Union, spelling: &Spelling) -> TokenStream {
    let docs = super::models::type_docs(def);
    let name = format_ident!("{}", def.name);
    let fallback = format_ident!("{}", union.fallback);
    let variants: Vec<_> = union.variants.iter().map(|variant| format_ident!("{}", variant.rust_name)).collect();
    let types = union.variants.iter().map(|variant| {
        let ty = spelling.ty(&variant.ty);
        if variant.boxed {
            spelling.boxed(ty)
        } else {
            ty
        }
    });
    let (result, ok) = (spelling.result(), spelling.ok());
    let paths = spelling.paths();
    let (runtime, serde, serde_json) = (paths.runtime(), paths.external("serde"), paths.external("serde_json"));
    let blank = quote! {
        impl #runtime::Blank for #name {
            fn blank() -> Self {
                #name::#fallback(#serde_json::Value::Null)
            }
        }
    };
    let serde_crate = paths.serde_crate();
    let Some(property) = &union.discriminator else {
        let variant_docs =
            union.variants.iter().map(|variant| docs::outer([format!("The value as `{}`.", variant.rust_name)]));
        return quote! {
            #docs
            ///
            /// The spec gives no discriminator: decoding tries the alternatives in this order and takes the first that fits.
            #[derive(Clone, Debug, PartialEq, #serde::Serialize, #serde::Deserialize)]
            #serde_crate
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(
                    #variant_docs
                    #variants(#types),
                )*
                /// A value that fits none of the alternatives, kept as received.
                #fallback(#serde_json::Value),
            }

            #blank
        };
    };
    let variant_docs = union.variants.iter().map(|variant| {
        let tags: Vec<String> = variant.tags.iter().map(|tag| docs::code(tag)).collect();
        docs::outer([format!("{} is {}.", docs::code(property), tags.join(" or "))])
    });
    let arms = union.variants.iter().zip(&variants).map(|(variant, variant_name)| {
        let tags = &variant.tags;
        let wrap = if variant.boxed {
            let boxed = spelling.boxed(quote!(_));
            quote!(|value| #name::#variant_name(<#boxed>::new(value)))
        } else {
            quote!(#name::#variant_name)
        };
        quote! {
            Some(#(#tags)|*) => #serde_json::from_value(value).map(#wrap).map_err(#serde::de::Error::custom),
        }
    });
    let fallback_doc =
        format!(" A value whose `{property}` this version of the crate does not know, kept as received.");
    let note = format!(
        " Which alternative a value is depends on its `{property}` property; a value whose `{property}` is none of \
         these is kept in [`{name}::{fallback}`] as received."
    );
    quote! {
        #docs
        ///
        #[doc = #note]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants(#types),
            )*
            #[doc = #fallback_doc]
            #fallback(#serde_json::Value),
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(#name::#variants(value) => #serde::Serialize::serialize(value, serializer),)*
                    #name::#fallback(value) => #serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <#serde_json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#property).and_then(#serde_json::Value::as_str) {
                    #(#arms)*
                    _ => #ok(#name::#fallback(value)),
                }
            }
        }

        #blank
    }
}
