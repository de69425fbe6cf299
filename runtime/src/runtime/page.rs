//! Pages of results: the answers Atlas splits into pages, sans-IO. The
//! client fetches them one after another (`Client::pages`, `Client::items`).

use serde::de::DeserializeOwned;

/// One page of the results of a list operation.
///
/// Atlas answers a paged list operation with `{results, totalCount, links}`:
/// the items of one page, an estimate of how many there are in all, and
/// links, one of which has `rel: "next"` when there is more. A generated
/// crate implements this trait for the success body of every `GET` whose
/// query parameters include `pageNum` and `itemsPerPage` (integers) and
/// whose body is a struct with a `results` array and a `links` array of
/// objects with a string `rel`, so that the client's `pages` and `items` can
/// fetch every page. `totalCount` is left out on purpose: it is an estimate,
/// and asking for it makes Atlas slower.
pub trait Paginated: DeserializeOwned {
    /// One result.
    type Item;

    /// The results of this page, in the order Atlas sent them (none when
    /// the page has no `results`).
    fn items(&self) -> &[Self::Item];

    /// The results of this page, by value.
    fn into_items(self) -> Vec<Self::Item>;

    /// Whether the page links to a next one (a link whose `rel` is `next`).
    fn has_next(&self) -> bool;
}
