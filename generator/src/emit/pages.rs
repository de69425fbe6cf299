//! The runtime's `Paginated` for each struct that is a page of results, in
//! `models.rs` after the struct: which field holds the items, and how a
//! link to the next page is recognised.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::Spelling;
use crate::ir::PageType;

pub fn paginated_impl(page: &PageType, spelling: &Spelling) -> TokenStream {
    let name = format_ident!("{}", page.name);
    let item = spelling.ty(&page.item);
    let items = spelling.vec(item.clone());
    let results = format_ident!("{}", page.results.rust_name);
    // An absent `results` is a page without items.
    let (borrowed, owned) = if page.results.optional {
        (quote!(self.#results.as_deref().unwrap_or_default()), quote!(self.#results.unwrap_or_default()))
    } else {
        (quote!(&self.#results), quote!(self.#results))
    };
    let links = format_ident!("{}", page.links.rust_name);
    let links = if page.links.optional { quote!(self.#links.iter().flatten()) } else { quote!(self.#links.iter()) };
    let rel = format_ident!("{}", page.rel.rust_name);
    let runtime = spelling.paths().runtime();
    let is_next = if page.rel.optional {
        let some = spelling.prelude("Some", quote!(::std::option::Option::Some));
        quote!(link.#rel.as_deref() == #some("next"))
    } else {
        quote!(link.#rel == "next")
    };
    quote! {
        impl #runtime::Paginated for #name {
            type Item = #item;

            fn items(&self) -> &[#item] {
                #borrowed
            }

            fn into_items(self) -> #items {
                #owned
            }

            fn has_next(&self) -> bool {
                #links.any(|link| #is_next)
            }
        }
    }
}
