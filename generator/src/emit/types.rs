//! How types are written in a generated file: prelude names short (`Option`,
//! `String`, `Vec`) unless a type defined in that module shadows one, in
//! which case the full path (`::std::option::Option`) is written instead.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::paths::Paths;
use crate::ir::{IntegerKind, Type};

/// The prelude names generated code uses. `Ok`, `Err`, `Some` and `None`
/// can only be shadowed by a tuple struct (an id type), the rest by any type.
const PRELUDE: [&str; 11] =
    ["Box", "Default", "Err", "Into", "None", "Ok", "Option", "Result", "Some", "String", "Vec"];

/// How one module spells types.
#[derive(Debug, Clone)]
pub struct Spelling {
    /// Prelude names a type of this module shadows.
    shadowed: Vec<&'static str>,
    /// Named types are local (inside `models`) rather than `crate::models::X`.
    models_local: bool,
    paths: Paths,
}

impl Spelling {
    /// Inside `models`, where the API's types are defined.
    pub fn models<'n>(type_names: impl IntoIterator<Item = &'n str>, paths: Paths) -> Spelling {
        Spelling { shadowed: shadowed(type_names), models_local: true, paths }
    }

    /// In a module that defines the types `defined`, and refers to the API's
    /// types as `crate::models::X`.
    pub fn outside_models<'n>(defined: impl IntoIterator<Item = &'n str>, paths: Paths) -> Spelling {
        Spelling { shadowed: shadowed(defined), models_local: false, paths }
    }

    /// Where the module finds the API's modules, the runtime and other crates.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Whether `name`, a prelude name, must be written in full here.
    pub fn is_shadowed(&self, name: &str) -> bool {
        self.shadowed.contains(&name)
    }

    /// A named type of the API.
    pub fn named(&self, name: &str) -> TokenStream {
        let ident = format_ident!("{}", name);
        if self.models_local {
            quote!(#ident)
        } else {
            let root = self.paths.root();
            quote!(#root::models::#ident)
        }
    }

    /// The Rust type of a type.
    pub fn ty(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Named(name) => self.named(name),
            Type::String => self.string(),
            Type::DateTime => {
                let chrono = self.paths.external("chrono");
                quote!(#chrono::DateTime<#chrono::Utc>)
            }
            Type::Boolean => quote!(bool),
            Type::Integer(IntegerKind::I32) => quote!(i32),
            Type::Integer(IntegerKind::I64) => quote!(i64),
            Type::Number => quote!(f64),
            Type::Array(items) => self.vec(self.ty(items)),
            Type::Map(values) => {
                let (string, values) = (self.string(), self.ty(values));
                quote!(std::collections::BTreeMap<#string, #values>)
            }
            Type::Object => self.json_object(),
            Type::Any => {
                let serde_json = self.paths.external("serde_json");
                quote!(#serde_json::Value)
            }
            Type::Nullable(inner) => self.option(self.ty(inner)),
        }
    }

    /// A free-form JSON object.
    pub fn json_object(&self) -> TokenStream {
        let (string, serde_json) = (self.string(), self.paths.external("serde_json"));
        quote!(#serde_json::Map<#string, #serde_json::Value>)
    }

    /// `Option<inner>`.
    pub fn option(&self, inner: TokenStream) -> TokenStream {
        let option = self.path("Option", quote!(::std::option::Option));
        quote!(#option<#inner>)
    }

    /// `Box<inner>`.
    pub fn boxed(&self, inner: TokenStream) -> TokenStream {
        let boxed = self.path("Box", quote!(::std::boxed::Box));
        quote!(#boxed<#inner>)
    }

    /// `Vec<items>`.
    pub fn vec(&self, items: TokenStream) -> TokenStream {
        let vec = self.path("Vec", quote!(::std::vec::Vec));
        quote!(#vec<#items>)
    }

    /// `String`.
    pub fn string(&self) -> TokenStream {
        self.path("String", quote!(::std::string::String))
    }

    /// `Result`, without its arguments.
    pub fn result(&self) -> TokenStream {
        self.path("Result", quote!(::std::result::Result))
    }

    /// `Ok`, the constructor.
    pub fn ok(&self) -> TokenStream {
        self.path("Ok", quote!(::std::result::Result::Ok))
    }

    /// `Err`, the constructor.
    pub fn err(&self) -> TokenStream {
        self.path("Err", quote!(::std::result::Result::Err))
    }

    /// `Default::default()`, the value.
    pub fn default_value(&self) -> TokenStream {
        let default = self.path("Default", quote!(::std::default::Default));
        quote!(#default::default())
    }

    /// A prelude name, or `full` where it is shadowed.
    pub fn prelude(&self, short: &'static str, full: TokenStream) -> TokenStream {
        self.path(short, full)
    }

    fn path(&self, short: &'static str, full: TokenStream) -> TokenStream {
        if self.is_shadowed(short) {
            full
        } else {
            let ident = format_ident!("{}", short);
            quote!(#ident)
        }
    }
}

fn shadowed<'n>(names: impl IntoIterator<Item = &'n str>) -> Vec<&'static str> {
    let mut shadowed = Vec::new();
    for name in names {
        if let Some(prelude) = PRELUDE.iter().find(|prelude| **prelude == name) {
            shadowed.push(*prelude);
        }
    }
    shadowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prelude_names_are_short_unless_shadowed() {
        let nullable_list = Type::Nullable(Box::new(Type::Array(Box::new(Type::Named("Role".into())))));
        let paths = Paths::new(crate::ir::Layout::Crate, 1);
        let outside = Spelling::outside_models(["ListQuery"], paths.clone());
        assert_eq!(outside.ty(&nullable_list).to_string(), "Option < Vec < crate :: models :: Role > >");
        let models = Spelling::models(["Option", "Role"], paths);
        assert_eq!(models.ty(&nullable_list).to_string(), ":: std :: option :: Option < Vec < Role > >");
        let map = Type::Map(Box::new(Type::Any));
        assert_eq!(models.ty(&map).to_string(), "std :: collections :: BTreeMap < String , serde_json :: Value >");
        assert_eq!(models.ty(&Type::DateTime).to_string(), "chrono :: DateTime < chrono :: Utc >");
        assert_eq!(models.ty(&Type::Integer(IntegerKind::I64)).to_string(), "i64");
    }

    #[test]
    fn included_code_names_types_relatively_and_crates_through_the_runtime_crate() {
        let paths = Paths::new(crate::ir::Layout::Included { client: true }, 2);
        let outside = Spelling::outside_models([], paths);
        let role = Type::Named("Role".into());
        assert_eq!(outside.ty(&role).to_string(), "super :: super :: models :: Role");
        assert_eq!(
            outside.ty(&Type::DateTime).to_string(),
            ":: atlas_codegen_runtime :: chrono :: DateTime < :: atlas_codegen_runtime :: chrono :: Utc >"
        );
    }
}
