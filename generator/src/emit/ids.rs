//! `src/ids.rs`: a validated string type per patterned path parameter.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::ir::{Api, IdType, PatternCheck};

pub fn ids_file(api: &Api) -> TokenStream {
    let items = api.ids.values().map(id_item);
    let doc = docs::inner(["Ids that go into request paths. Each is checked against the spec's pattern when built, \
         so a malformed id is an error in your code, not a request the API rejects."]);
    quote! {
        #doc
        #(#items)*
    }
}

fn id_item(id: &IdType) -> TokenStream {
    let ident = format_ident!("{}", id.name);
    let name = &id.name;
    let pattern = &id.pattern;
    let check = match &id.check {
        Some(check) => check_expression(check),
        None => quote! {
            // Compiled once; the generator checked that the pattern parses, and a
            // pattern that did not would reject every value rather than panic.
            static PATTERN: ::std::sync::LazyLock<::std::option::Option<::regex::Regex>> =
                ::std::sync::LazyLock::new(|| ::regex::Regex::new(#pattern).ok());
            PATTERN.as_ref().is_some_and(|pattern| pattern.is_match(value))
        },
    };
    let description = id.description.as_deref().unwrap_or("An id used in request paths.");
    let checked = format!("Checked against `{pattern}` when built.");
    let doc = docs::outer([description, checked.as_str()]);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "::std::string::String", into = "::std::string::String")]
        pub struct #ident(::std::string::String);

        impl #ident {
            /// The pattern every value matches.
            pub const PATTERN: &'static str = #pattern;

            /// Checks `value` and wraps it.
            ///
            /// # Errors
            ///
            /// [`InvalidId`](crate::InvalidId) when `value` does not match [`Self::PATTERN`].
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, crate::InvalidId> {
                let value = value.into();
                if Self::is_valid(&value) {
                    ::std::result::Result::Ok(#ident(value))
                } else {
                    ::std::result::Result::Err(crate::InvalidId::new(#name, Self::PATTERN, value))
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
            pub fn into_string(self) -> ::std::string::String {
                self.0
            }
        }

        crate::runtime::id_conversions!(#ident);
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
    let byte = |c: char| syn::LitByte::new(c as u8, Span::call_site());
    let arms = check.ranges.iter().map(|(start, end)| {
        if ascii {
            let (first, last) = (byte(*start), byte(*end));
            if start == end {
                quote!(#first)
            } else {
                quote!(#first..=#last)
            }
        } else if start == end {
            quote!(#start)
        } else {
            quote!(#start..=#end)
        }
    });
    let items = if ascii { quote!(value.bytes()) } else { quote!(value.chars()) };
    match method {
        Some(method) => {
            let method = format_ident!("{}", method);
            quote!(#length_ok && #items.all(|c| c.#method()))
        }
        None => quote!(#length_ok && #items.all(|c| matches!(c, #(#arms)|*))),
    }
}
