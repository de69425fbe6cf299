//! `src/ids.rs`: a validated string type per patterned path parameter.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::paths::Paths;
use super::types::Spelling;
use crate::ir::{Api, IdType, Layout, PatternCheck};

pub fn ids_file(api: &Api, layout: Layout) -> TokenStream {
    let spelling = Spelling::outside_models(api.ids.iter().map(|id| id.name.as_str()), Paths::new(layout, 1));
    let docs = docs::inner([
        "Ids that go into request paths. Each is checked against the spec's pattern when built, so a malformed id is \
         an error in your code, not a request the API rejects.",
    ]);
    let items = api.ids.iter().map(|id| id_item(id, &spelling));
    quote! {
        #docs
        #(#items)*
    }
}

fn id_item(id: &IdType, spelling: &Spelling) -> TokenStream {
    let name = format_ident!("{}", id.name);
    let kind = &id.name;
    let pattern = &id.pattern;
    let paths = spelling.paths();
    let (root, runtime, serde, serde_crate) =
        (paths.root(), paths.runtime(), paths.external("serde"), paths.serde_crate());
    let regex = paths.external("regex");
    let (string, option, result, ok, err) =
        (spelling.string(), spelling.option(quote!(#regex::Regex)), spelling.result(), spelling.ok(), spelling.err());
    let invalid_id =
        format!(" [`InvalidId`]({}) when `value` does not match [`Self::PATTERN`].", paths.doc_link("InvalidId"));
    let into = spelling.prelude("Into", quote!(::std::convert::Into));
    let serde_string = if spelling.is_shadowed("String") { "::std::string::String" } else { "String" };
    let check = match &id.check {
        Some(check) => check_expression(check),
        None => quote! {
            // Compiled once; the generator checked that the pattern parses, and a
            // pattern that did not would reject every value rather than panic.
            static PATTERN: std::sync::LazyLock<#option> = std::sync::LazyLock::new(|| #regex::Regex::new(#pattern).ok());
            PATTERN.as_ref().is_some_and(|pattern| pattern.is_match(value))
        },
    };
    let description =
        id.description.as_deref().map_or_else(|| "An id used in request paths.".to_owned(), docs::markdown);
    let docs = docs::outer([description, format!("Checked against {} when built.", docs::code(pattern))]);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, #serde::Serialize, #serde::Deserialize)]
        #serde_crate
        #[serde(try_from = #serde_string, into = #serde_string)]
        pub struct #name(#string);

        impl #name {
            /// The pattern every value matches.
            pub const PATTERN: &'static str = #pattern;

            /// Checks `value` and wraps it.
            ///
            /// # Errors
            ///
            #[doc = #invalid_id]
            pub fn new(value: impl #into<#string>) -> #result<Self, #root::InvalidId> {
                let value = value.into();
                if Self::is_valid(&value) {
                    #ok(Self(value))
                } else {
                    #err(#root::InvalidId::new(#kind, Self::PATTERN, value))
                }
            }

            /// Whether `value` matches [`Self::PATTERN`].
            pub fn is_valid(value: &str) -> bool {
                #check
            }

            /// The id as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> #string {
                self.0
            }
        }

        #runtime::id_conversions!(#name);
    }
}

/// A boolean expression over `value: &str` that holds when it matches.
/// ASCII classes compare bytes (length in bytes equals length in characters
/// for them); others compare characters.
fn check_expression(check: &PatternCheck) -> TokenStream {
    let ascii = check.ranges.iter().all(|(start, end)| start.is_ascii() && end.is_ascii());
    let mut ranges = check.ranges.clone();
    ranges.sort();
    // The standard ASCII classes read better (and clippy asks) as std's methods.
    let method = match ranges.as_slice() {
        [('0', '9')] => Some("is_ascii_digit"),
        [('0', '9'), ('A', 'F'), ('a', 'f')] => Some("is_ascii_hexdigit"),
        [('a', 'z')] => Some("is_ascii_lowercase"),
        [('A', 'Z')] => Some("is_ascii_uppercase"),
        [('A', 'Z'), ('a', 'z')] => Some("is_ascii_alphabetic"),
        [('0', '9'), ('A', 'Z'), ('a', 'z')] => Some("is_ascii_alphanumeric"),
        _ => None,
    };
    let length = if ascii { quote!(value.len()) } else { quote!(value.chars().count()) };
    let min = Literal::usize_unsuffixed(check.min);
    let length_ok = match check.max {
        usize::MAX => quote!(#length >= #min),
        max if max == check.min => quote!(#length == #min),
        max => {
            let max = Literal::usize_unsuffixed(max);
            quote!((#min..=#max).contains(&#length))
        }
    };
    let items = if ascii { quote!(value.bytes()) } else { quote!(value.chars()) };
    if let Some(method) = method {
        let method = format_ident!("{}", method);
        return quote!(#length_ok && #items.all(|c| c.#method()));
    }
    let byte = |c: char| syn::LitByte::new(c as u8, Span::call_site());
    let arms = check.ranges.iter().map(|(start, end)| match (ascii, start == end) {
        (true, true) => {
            let first = byte(*start);
            quote!(#first)
        }
        (true, false) => {
            let (first, last) = (byte(*start), byte(*end));
            quote!(#first..=#last)
        }
        (false, true) => quote!(#start),
        (false, false) => quote!(#start..=#end),
    });
    quote!(#length_ok && #items.all(|c| matches!(c, #(#arms)|*)))
}
