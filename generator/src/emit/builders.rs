//! How a caller builds a struct of the crate in one expression, though it
//! is `#[non_exhaustive]`: `Default` or `new` with the required properties,
//! then a `with_` method per optional one. A new optional property is a new
//! method, not a breaking change; a required property cannot be forgotten.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::value_type;
use super::types::Spelling;
use crate::ir::{Field, OtherProperties, Parameter, Struct, Type, TypeDef};

/// `new` (when the struct has required properties) and the `with_` methods.
pub fn struct_builders(def: &TypeDef, object: &Struct, spelling: &Spelling, object_trait: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let into = spelling.prelude("Into", quote!(::std::convert::Into));
    let constructor = (!object.all_optional()).then(|| {
        let required: Vec<&Field> = object.fields.iter().filter(|field| field.required).collect();
        let names: Vec<_> = required.iter().map(|field| format_ident!("{}", field.rust_name)).collect();
        let types = required.iter().map(|field| {
            let ty = value_type(field, spelling);
            if field.is_option() {
                spelling.option(ty)
            } else {
                ty
            }
        });
        let doc = format!(" A `{}` with its required properties; set the others with the `with_` methods.", def.name);
        // Built on the value decoding starts from, so that a new optional
        // property changes nothing here.
        quote! {
            #[doc = #doc]
            pub fn new(#(#names: impl #into<#types>),*) -> Self {
                #name {
                    #(#names: #names.into(),)*
                    ..<Self as #object_trait>::blank()
                }
            }
        }
    });
    let setters = object
        .fields
        .iter()
        .filter(|field| !field.required)
        .map(|field| setter(&field.rust_name, &field.ty, value_type(field, spelling), spelling));
    let others = object.others.as_ref().map(|others| other_setter(others, spelling));
    quote! {
        impl #name {
            #constructor
            #(#setters)*
            #others
        }
    }
}

/// The `with_` methods of an operation's query struct.
pub fn query_builders<'p>(
    name: &str,
    parameters: impl Iterator<Item = &'p Parameter>,
    spelling: &Spelling,
) -> TokenStream {
    let name = format_ident!("{}", name);
    let setters =
        parameters.map(|parameter| setter(&parameter.rust_name, &parameter.ty, spelling.ty(&parameter.ty), spelling));
    quote! {
        impl #name {
            #(#setters)*
        }
    }
}

/// `with_x`, which sets the optional field `x`. A string is taken as
/// anything that converts into one; other values as they are, which costs
/// the compiler less on a crate with thousands of these.
fn setter(field: &str, ty: &Type, value_type: TokenStream, spelling: &Spelling) -> TokenStream {
    let method = format_ident!("with_{}", field.trim_end_matches('_'));
    let field = format_ident!("{}", field);
    let (into, some) = (
        spelling.prelude("Into", quote!(::std::convert::Into)),
        spelling.prelude("Some", quote!(::std::option::Option::Some)),
    );
    let doc = format!(" Sets [`{field}`](Self::{field}).");
    let (parameter, conversion) = match ty {
        Type::String => (quote!(impl #into<#value_type>), quote!(.into())),
        _ => (value_type, quote!()),
    };
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, #field: #parameter) -> Self {
            self.#field = #some(#field #conversion);
            self
        }
    }
}

/// `with_other_property`, which adds one of the object's other properties.
fn other_setter(others: &OtherProperties, spelling: &Spelling) -> TokenStream {
    let field = format_ident!("{}", others.rust_name);
    let method = format_ident!("with_{}", crate::naming::singular(&others.rust_name));
    let (into, string) = (spelling.prelude("Into", quote!(::std::convert::Into)), spelling.string());
    let value = spelling.ty(&others.values);
    let doc = format!(" Adds one of the other properties to [`{field}`](Self::{field}).");
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, key: impl #into<#string>, value: impl #into<#value>) -> Self {
            self.#field.insert(key.into(), value.into());
            self
        }
    }
}
