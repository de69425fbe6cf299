//! `src/models.rs`: a struct per object schema, an open enum per string enum.
//!
//! Structs and enums, thousands on a full spec, are built as `syn` items
//! directly (see [`super::syntax`]); unions and aliases, which are few, are
//! written with `quote!`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Attribute, Expr, Fields, Item};

use super::docs;
use super::syntax::{
    doc_line, ident, list_attribute, method_call, path, path_expr, path_type, public, public_field, public_struct,
    str_expr, word_attribute,
};
use super::types::{box_of, option_of, rust_type, syn_type, Scope};
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
pub fn models_part(api: &Api, part: usize) -> syn::Result<syn::File> {
    let mut items = Vec::new();
    let as_str = as_str_template()?;
    for def in api.types.values().skip(part * TYPES_PER_PART).take(TYPES_PER_PART) {
        match &def.kind {
            TypeKind::Struct(fields) => struct_items(def, fields, &mut items),
            TypeKind::Enum(values) => enum_items(def, values, &as_str, &mut items),
            TypeKind::Union(union) => items.extend(syn::parse2::<syn::File>(union_item(def, union))?.items),
            TypeKind::Alias(target) => {
                let ident = ident(&def.name);
                let target = rust_type(target, Scope::Models);
                let doc = type_attributes(def);
                items.extend(syn::parse2::<syn::File>(quote! { #(#doc)* pub type #ident = #target; })?.items);
            }
        }
    }
    let attrs = if part == 0 {
        docs::inner_attributes(["Request and response bodies of the API, one type per schema."]).into_iter().collect()
    } else {
        Vec::new()
    };
    Ok(syn::File { shebang: None, attrs, items })
}

/// The type's docs, and `#[deprecated]` if it is.
fn type_attributes(def: &TypeDef) -> Vec<Attribute> {
    let fallback = format!("The `{}` schema.", def.spec_name);
    let description = def.description.as_deref().unwrap_or(&fallback);
    let mut attributes: Vec<Attribute> = docs::outer_attributes([description]).into_iter().collect();
    if def.deprecated {
        attributes.push(word_attribute("deprecated"));
    }
    attributes
}

fn struct_items(def: &TypeDef, fields: &[Field], items: &mut Vec<Item>) {
    let ident = ident(&def.name);
    let all_optional = fields.iter().all(|f| !f.required || f.flatten);
    let default = if all_optional { quote!(Default,) } else { quote!() };
    // The runtime's `deserialize_struct!` decodes with much less compiler
    // work than serde's derive, which stays only for the rare struct with a
    // flattened map of other properties.
    let derived_deserialize = fields.iter().any(|f| f.flatten);
    let derive_deserialize = if derived_deserialize { quote!(::serde::Deserialize,) } else { quote!() };
    let mut attrs = type_attributes(def);
    attrs.push(list_attribute(
        "derive",
        quote!(Clone, Debug, #default PartialEq, ::serde::Serialize, #derive_deserialize),
    ));
    items.push(public_struct(attrs, &def.name, fields.iter().map(|f| field(f, derived_deserialize))));
    if !derived_deserialize {
        items.push(deserialize_struct(&ident, fields));
    }
}

/// The `deserialize_struct!` call that decodes a struct: for each field,
/// whether it is an `Option`, its index, wire name and Rust name.
fn deserialize_struct(type_ident: &proc_macro2::Ident, fields: &[Field]) -> Item {
    let entries = fields.iter().enumerate().map(|(index, field)| {
        let index = Literal::usize_unsuffixed(index);
        let wire = &field.wire_name;
        let rust = ident(&field.rust_name);
        let kind = if is_optional(field) { quote!(optional) } else { quote!(required) };
        quote!(#kind #index #wire => #rust)
    });
    macro_call(["crate", "runtime", "deserialize_struct"], quote!(#type_ident { #(#entries),* }))
}

/// `path!(tokens);` as an item.
fn macro_call<'a>(segments: impl IntoIterator<Item = &'a str>, tokens: TokenStream) -> Item {
    Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: path(false, segments),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

/// Whether the field is an `Option`: not required, or nullable.
fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// One struct field; `derived_deserialize` says whether serde's derive
/// decodes the struct and so needs `default` on optional fields.
fn field(field: &Field, derived_deserialize: bool) -> syn::Field {
    let mut ty = syn_type(&field.ty, Scope::Models);
    if field.boxed {
        ty = box_of(ty);
    }
    if is_optional(field) {
        ty = option_of(ty);
    }

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
    let mut attrs: Vec<Attribute> = docs::outer_attributes(
        std::iter::once(field.description.as_deref().unwrap_or(&fallback)).chain(notes.iter().map(String::as_str)),
    )
    .into_iter()
    .collect();
    if field.deprecated {
        attrs.push(word_attribute("deprecated"));
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
    if !serde_args.is_empty() {
        attrs.push(list_attribute("serde", quote!(#(#serde_args),*)));
    }

    public_field(attrs, &field.rust_name, ty)
}

/// An open enum: a variant per listed value and one that keeps any other
/// value; `KNOWN` and `as_str` list the values, and the runtime's
/// `open_enum_traits!` derives the conversions from them.
fn enum_items(def: &TypeDef, values: &[EnumValue], as_str_template: &syn::ImplItemFn, items: &mut Vec<Item>) {
    let type_ident = ident(&def.name);
    let fallback_name = fallback_name(values.iter().map(|v| v.rust_name.as_str()));
    let fallback = ident(fallback_name);
    let name = def.name.as_str();

    let mut attrs = type_attributes(def);
    attrs.push(doc_line(""));
    attrs.push(doc_line(&format!(
        " Open to new values: one this crate does not know yet is kept in [`{type_ident}::{fallback}`] as the server sent it."
    )));
    attrs.push(list_attribute("derive", quote!(Clone, Debug, PartialEq, Eq, Hash)));
    attrs.push(word_attribute("non_exhaustive"));
    let mut variants: syn::punctuated::Punctuated<syn::Variant, syn::Token![,]> = values
        .iter()
        .map(|value| syn::Variant {
            attrs: docs::outer_attributes([docs::code(&value.wire).as_str()]).into_iter().collect(),
            ident: ident(&value.rust_name),
            fields: Fields::Unit,
            discriminant: None,
        })
        .collect();
    variants.push(syn::Variant {
        attrs: vec![doc_line(" A value this version of the crate does not know, kept as received.")],
        ident: fallback.clone(),
        fields: Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: std::iter::once(syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                mutability: syn::FieldMutability::None,
                ident: None,
                colon_token: None,
                ty: path_type(path(false, ["crate", "UnknownValue"])),
            })
            .collect(),
        }),
        discriminant: None,
    });
    items.push(Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: type_ident.clone(),
        generics: Default::default(),
        brace_token: Default::default(),
        variants,
    }));

    let value_path = |variant: &str| path_expr(path(false, [name, variant]));
    // `pub const KNOWN: &'static [Name] = &[Name::A, ..];`
    let known = syn::ImplItemConst {
        attrs: vec![doc_line(" Every value the spec lists, in its order.")],
        vis: public(),
        defaultness: None,
        const_token: Default::default(),
        ident: ident("KNOWN"),
        generics: Default::default(),
        colon_token: Default::default(),
        ty: static_slice(path_type(path(false, [name]))),
        eq_token: Default::default(),
        expr: Expr::Reference(syn::ExprReference {
            attrs: Vec::new(),
            and_token: Default::default(),
            mutability: None,
            expr: Box::new(Expr::Array(syn::ExprArray {
                attrs: Vec::new(),
                bracket_token: Default::default(),
                elems: values.iter().map(|value| Expr::Path(value_path(&value.rust_name))).collect(),
            })),
        }),
        semi_token: Default::default(),
    };
    // `pub fn as_str(&self) -> &str { match self { Name::A => "A", .., Name::Unknown(value) => value.as_str() } }`
    let mut arms: Vec<syn::Arm> =
        values.iter().map(|value| arm(syn::Pat::Path(value_path(&value.rust_name)), str_expr(&value.wire))).collect();
    let value = Expr::Path(path_expr(path(false, ["value"])));
    arms.push(arm(
        syn::Pat::TupleStruct(syn::PatTupleStruct {
            attrs: Vec::new(),
            qself: None,
            path: path(false, [name, fallback_name]),
            paren_token: Default::default(),
            elems: std::iter::once(syn::Pat::Ident(syn::PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: ident("value"),
                subpat: None,
            }))
            .collect(),
        }),
        method_call(value, "as_str", Vec::new()),
    ));
    let mut as_str = as_str_template.clone();
    as_str.block.stmts = vec![syn::Stmt::Expr(
        Expr::Match(syn::ExprMatch {
            attrs: Vec::new(),
            match_token: Default::default(),
            expr: Box::new(Expr::Path(path_expr(path(false, ["self"])))),
            brace_token: Default::default(),
            arms,
        }),
        None,
    )];
    items.push(Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: None,
        self_ty: Box::new(path_type(path(false, [name]))),
        brace_token: Default::default(),
        items: vec![syn::ImplItem::Const(known), syn::ImplItem::Fn(as_str)],
    }));
    items.push(macro_call(["crate", "runtime", "open_enum_traits"], quote!(#type_ident, #fallback)));
}

/// `as_str`'s documented signature, the same for every enum: parsed once
/// per part and given each enum's `match`.
fn as_str_template() -> syn::Result<syn::ImplItemFn> {
    syn::parse2(quote! {
        /// The value as on the wire.
        pub fn as_str(&self) -> &str {}
    })
}

/// `&'static [elem]`.
fn static_slice(elem: syn::Type) -> syn::Type {
    syn::Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: Some(syn::Lifetime::new("'static", proc_macro2::Span::call_site())),
        mutability: None,
        elem: Box::new(syn::Type::Slice(syn::TypeSlice { bracket_token: Default::default(), elem: Box::new(elem) })),
    })
}

/// `pat => body,`
fn arm(pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
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
    let type_ident = ident(&def.name);
    let doc = type_attributes(def);
    let doc = quote!(#(#doc)*);
    let fallback = ident(fallback_name(union.variants.iter().map(|v| v.rust_name.as_str())));
    let variant_idents: Vec<_> = union.variants.iter().map(|v| ident(&v.rust_name)).collect();
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
            pub enum #type_ident {
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
            quote!(|value| #type_ident::#name(::std::boxed::Box::new(value)))
        } else {
            quote!(#type_ident::#name)
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
         none of these is kept in [`{type_ident}::{fallback}`] as received."
    );
    quote! {
        #doc
        ///
        #[doc = #note]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #type_ident {
            #( #variant_docs #variant_idents(#variant_types), )*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #type_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #type_ident::#variant_idents(value) => ::serde::Serialize::serialize(value, serializer), )*
                    #type_ident::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(#type_ident::#fallback(value)),
                }
            }
        }
    }
}
