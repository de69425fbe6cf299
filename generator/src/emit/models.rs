//! `src/models.rs`: a struct per object schema (and `Paginated` for each
//! page of results), an open enum per string enum, a union per `oneOf`, an
//! alias per schema that names another type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::paths::Paths;
use super::types::Spelling;
use super::unions::union_items;
use super::{builders, docs, pages};
use crate::ir::{Api, Enum, Field, Layout, OtherProperties, Struct, TypeDef, TypeKind};

/// Types per part of `models.rs`: parts are formatted on every core and
/// joined in order, so a full spec's models do not wait on one thread.
pub const TYPES_PER_PART: usize = 64;

/// How many parts `models.rs` has.
pub fn part_count(api: &Api) -> usize {
    api.types.len().div_ceil(TYPES_PER_PART).max(1)
}

/// Part `part` of `models.rs`: the module docs and imports (first part
/// only) and its share of the types, in name order.
pub fn models_part(api: &Api, part: usize, layout: Layout) -> TokenStream {
    let spelling = Spelling::models(api.types.iter().map(|def| def.name.as_str()), Paths::new(layout, 1));
    let runtime = Runtime::new(api, spelling.paths());
    let items = api.types.iter().skip(part * TYPES_PER_PART).take(TYPES_PER_PART).map(|def| match &def.kind {
        TypeKind::Struct(object) => {
            let paging = api.page_type(&def.name).map(|page| pages::paginated_impl(page, &spelling));
            let items = struct_items(def, object, &spelling, &runtime);
            quote!(#items #paging)
        }
        TypeKind::Enum(values) => enum_items(def, values, spelling.paths()),
        TypeKind::Union(union) => union_items(def, union, &spelling),
        TypeKind::Alias(layout) => {
            let (docs, name, layout) = (type_docs(def), format_ident!("{}", def.name), spelling.ty(layout));
            quote! {
                #docs
                pub type #name = #layout;
            }
        }
    });
    let head = (part == 0).then(|| {
        let docs = docs::inner(["Request and response bodies of the API, one type per schema."]);
        let imports = runtime.imports();
        quote! {
            #docs
            #imports
        }
    });
    quote! {
        #head
        #(#items)*
    }
}

/// The type's docs, and `#[deprecated]` if it is.
pub(super) fn type_docs(def: &TypeDef) -> TokenStream {
    let fallback = format!("The `{}` schema.", def.spec_name);
    let description = def.description.as_deref().map_or(fallback, docs::markdown);
    let docs = docs::outer([description]);
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    quote!(#docs #deprecated)
}

/// The runtime's decoding items, imported at the top of `models.rs` unless
/// a model has the same name (then written in full where used).
struct Runtime {
    /// The runtime module.
    module: TokenStream,
    object: TokenStream,
    entry: TokenStream,
    blank: TokenStream,
    map_access: TokenStream,
    imports: Vec<Import>,
}

/// A name imported at the top of `models.rs`.
struct Import {
    /// The group it is imported with.
    module: &'static str,
    path: TokenStream,
    name: proc_macro2::Ident,
}

impl Runtime {
    fn new(api: &Api, paths: &Paths) -> Runtime {
        let taken = |name: &str| api.type_named(name).is_some();
        let structs = api.types.iter().any(|def| matches!(def.kind, TypeKind::Struct(_)));
        let required = api.types.iter().any(|def| match &def.kind {
            TypeKind::Struct(object) => object.fields.iter().any(|field| !field.is_option()),
            _ => false,
        });
        let mut imports = Vec::new();
        let mut name = |module: &'static str, path: TokenStream, short: &str, used: bool| {
            let ident = format_ident!("{}", short);
            if used && !taken(short) {
                imports.push(Import { module, path, name: ident.clone() });
                quote!(#ident)
            } else {
                quote!(#path::#ident)
            }
        };
        let (module, serde) = (paths.runtime(), paths.external("serde"));
        let blank = name("runtime", module.clone(), "Blank", required);
        let entry = name("runtime", module.clone(), "Entry", structs);
        let object = name("runtime", module.clone(), "Object", structs);
        let map_access = name("serde", quote!(#serde::de), "MapAccess", structs);
        Runtime { module, object, entry, blank, map_access, imports }
    }

    fn imports(&self) -> TokenStream {
        let (runtime, other): (Vec<&Import>, Vec<&Import>) =
            self.imports.iter().partition(|import| import.module == "runtime");
        let runtime = (!runtime.is_empty()).then(|| {
            let (module, names) = (&self.module, runtime.iter().map(|import| &import.name));
            quote!(use #module::{#(#names),*};)
        });
        let other = other.iter().map(|import| {
            let (module, name) = (&import.path, &import.name);
            quote!(use #module::#name;)
        });
        quote!(#runtime #(#other)*)
    }
}

/// A struct: `#[non_exhaustive]`, so that a new property is not a breaking
/// change, and so built with `Default` or `new` (its required properties)
/// and a `with_` method per optional property.
fn struct_items(def: &TypeDef, object: &Struct, spelling: &Spelling, runtime: &Runtime) -> TokenStream {
    let docs = type_docs(def);
    let name = format_ident!("{}", def.name);
    let default = object.all_optional().then(|| quote!(Default,));
    let fields = object.fields.iter().map(|field| struct_field(field, spelling));
    let others = object.others.as_ref().map(|others| others_field(others, spelling));
    let building = builders::struct_builders(def, object, spelling, &runtime.object);
    let decoding = object_impl(def, object, spelling, runtime);
    let (serde, serde_crate) = (spelling.paths().external("serde"), spelling.paths().serde_crate());
    quote! {
        #docs
        #[derive(Clone, Debug, #default PartialEq, #serde::Serialize)]
        #serde_crate
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #others
        }

        #building
        #decoding
    }
}

/// A field's type without the `Option` of an optional field: `T`, or
/// `Box<T>` where a cycle needs one.
pub(super) fn value_type(field: &Field, spelling: &Spelling) -> TokenStream {
    let ty = spelling.ty(&field.ty);
    if field.boxed {
        spelling.boxed(ty)
    } else {
        ty
    }
}

fn struct_field(field: &Field, spelling: &Spelling) -> TokenStream {
    let mut ty = value_type(field, spelling);
    if field.is_option() {
        ty = spelling.option(ty);
    }
    let mut paragraphs = vec![field
        .description
        .as_deref()
        .map_or_else(|| format!("The `{}` property.", field.wire_name), docs::markdown)];
    if field.read_only {
        paragraphs.push("Read-only: set by the server and ignored in requests.".to_owned());
    }
    if let Some(pattern) = &field.pattern {
        paragraphs.push(format!(
            "Documented pattern: {} (not checked when decoding, so an unexpected value from the server still decodes).",
            docs::code(pattern)
        ));
    }
    let docs = docs::outer(paragraphs);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let rename = (field.rust_name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire)
    });
    let skip = (!field.required).then(|| {
        let is_none = if spelling.is_shadowed("Option") { "::std::option::Option::is_none" } else { "Option::is_none" };
        quote!(skip_serializing_if = #is_none)
    });
    let serde = match (rename, skip) {
        (None, None) => None,
        (Some(rename), None) => Some(quote!(#[serde(#rename)])),
        (None, Some(skip)) => Some(quote!(#[serde(#skip)])),
        (Some(rename), Some(skip)) => Some(quote!(#[serde(#rename, #skip)])),
    };
    let name = format_ident!("{}", field.rust_name);
    quote! {
        #docs
        #deprecated
        #serde
        pub #name: #ty,
    }
}

fn others_field(others: &OtherProperties, spelling: &Spelling) -> TokenStream {
    let name = format_ident!("{}", others.rust_name);
    let ty = match &others.values {
        crate::ir::Type::Any => spelling.json_object(),
        values => spelling.ty(&crate::ir::Type::Map(Box::new(values.clone()))),
    };
    quote! {
        /// Properties beyond the ones above (`additionalProperties`).
        #[serde(flatten)]
        pub #name: #ty,
    }
}

/// How the runtime decodes the struct: the value it starts from, and which
/// field each property goes to.
fn object_impl(def: &TypeDef, object: &Struct, spelling: &Spelling, runtime: &Runtime) -> TokenStream {
    let Runtime { module, object: object_trait, entry, blank, map_access, .. } = runtime;
    let name = format_ident!("{}", def.name);
    // Fields that are `Option`s may be missing, as with serde's derive.
    let required: Vec<&str> =
        object.fields.iter().filter(|field| !field.is_option()).map(|field| field.wire_name.as_str()).collect();
    let required = (!required.is_empty()).then(|| quote!(const REQUIRED: &'static [&'static str] = &[#(#required),*];));
    let blank_value = if object.all_optional() && !spelling.is_shadowed("Default") {
        quote!(Self::default())
    } else {
        let fields = object.fields.iter().map(|field| {
            let field_name = format_ident!("{}", field.rust_name);
            if field.is_option() {
                quote!(#field_name: None,)
            } else {
                quote!(#field_name: #blank::blank(),)
            }
        });
        let others = object.others.as_ref().map(|others| {
            let others = format_ident!("{}", others.rust_name);
            let default = spelling.default_value();
            quote!(#others: #default,)
        });
        quote!(#name { #(#fields)* #others })
    };
    let arms = object.fields.iter().map(|field| {
        let (wire, field_name) = (&field.wire_name, format_ident!("{}", field.rust_name));
        quote!(#wire => entry.read(&mut self.#field_name),)
    });
    let rest = match &object.others {
        Some(others) => {
            let others = format_ident!("{}", others.rust_name);
            quote!(_ => entry.other(&mut self.#others),)
        }
        None => quote!(_ => entry.skip(),),
    };
    let result = spelling.result();
    quote! {
        impl #object_trait for #name {
            #required

            fn blank() -> Self {
                #blank_value
            }

            fn read<'de, A: #map_access<'de>>(&mut self, entry: #entry<'_, A>) -> #result<(), A::Error> {
                match entry.key() {
                    #(#arms)*
                    #rest
                }
            }
        }

        #module::deserialize_object!(#name);
    }
}

/// An open enum: a variant per listed value and one that keeps any other
/// value; `KNOWN` and `as_str` list the values, and the runtime's
/// `open_enum_traits!` derives the conversions from them.
fn enum_items(def: &TypeDef, values: &Enum, paths: &Paths) -> TokenStream {
    let docs = type_docs(def);
    let name = format_ident!("{}", def.name);
    let fallback = format_ident!("{}", values.fallback);
    let open = format!(
        " Open to new values: one this crate does not know yet is kept in [`{}::{}`] as the server sent it.",
        def.name, values.fallback
    );
    let variants: Vec<_> = values.values.iter().map(|value| format_ident!("{}", value.rust_name)).collect();
    let variant_docs = values.values.iter().map(|value| docs::outer([docs::code(&value.wire)]));
    let wires = values.values.iter().map(|value| &value.wire);
    let (root, runtime) = (paths.root(), paths.runtime());
    quote! {
        #docs
        ///
        #[doc = #open]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            /// A value this version of the crate does not know, kept as received.
            #fallback(#root::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const KNOWN: &'static [#name] = &[#(#name::#variants),*];

            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#variants => #wires,)*
                    #name::#fallback(value) => value.as_str(),
                }
            }
        }

        #runtime::open_enum_traits!(#name, #fallback);
    }
}
