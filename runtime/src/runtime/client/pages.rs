//! Every page of a paged list operation, fetched one after another, as a
//! stream of pages ([`Pages`]) or of their items ([`Items`]).
//!
//! The next page is asked for by number, at the client's own base URL: the
//! `next` link of an answer only says that there is one. Following the link
//! would send the client's credentials wherever a response points; and
//! behind a proxy, or with another base URL, Atlas's links still name
//! `https://cloud.mongodb.com`, so following them would go around it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::{Client, Error};
use crate::runtime::{Endpoint, Paginated, RequestError, ResponseParser};

/// The query parameters of paging, as Atlas names them.
const PAGE_NUM: &str = "pageNum";
const ITEMS_PER_PAGE: &str = "itemsPerPage";
const INCLUDE_COUNT: &str = "includeCount";

/// The page Atlas answers when a request names none.
const FIRST_PAGE: i64 = 1;

/// Atlas's documented page size when a request names none. It is sent
/// anyway, so that a page with fewer items is known to be the last.
const DEFAULT_PAGE_SIZE: i64 = 100;

/// The boxed stream behind [`Pages`] and [`Items`]: the futures of
/// [`Client::send`] cannot be named.
type Boxed<T, E> = Pin<Box<dyn Stream<Item = Result<T, PageError<E>>> + Send>>;

impl Client {
    /// Every page of a paged list operation, fetched one at a time as the
    /// stream is read: a stream of [`Page`]s.
    ///
    /// `endpoint` is what the operation's endpoint function builds, so its
    /// query sets where paging starts and how big pages are: the query
    /// struct's `page_num` (else page 1) and `items_per_page` (else 100,
    /// Atlas's default). Each page is the endpoint's request with `pageNum`
    /// and `itemsPerPage` set, and `includeCount=false` unless the request
    /// sets `includeCount` (Atlas counts by default, which is slower, and the
    /// count is only an estimate: paging never relies on it). Every other
    /// query parameter and header goes out as built, with the same
    /// authentication and retries as [`send`](Self::send).
    ///
    /// The stream yields every page Atlas answered, and ends after one that
    /// has no `next` link, is empty, or holds fewer items than the page size.
    /// A `next` link is only taken as the sign that there is more: the next
    /// page is requested by number at the client's base URL, never at the
    /// link's URL, so credentials cannot follow a link elsewhere.
    ///
    /// A call that fails ends the stream with a [`PageError`] naming the
    /// operation and the page: a stream that ends without one has every page.
    ///
    /// Only a paged list operation ([`Endpoint::is_paged`]) is asked for
    /// page after page. Any other endpoint whose answer is [`Paginated`],
    /// such as a `POST` that answers with a page, is sent once, as built,
    /// and its answer is the stream's one page.
    ///
    /// ```ignore
    /// let query = ListProjectsQuery::default().with_items_per_page(500);
    /// let mut pages = client.pages(atlas::list_projects(&query)?);
    /// while let Some(page) = pages.next().await {
    ///     let page = page?;
    ///     println!("page {}: {} projects", page.number(), page.items().len());
    /// }
    /// ```
    pub fn pages<B, E>(&self, endpoint: Endpoint<B, E>) -> Pages<B, E>
    where
        B: Paginated + Send + 'static,
        E: DeserializeOwned + Send + 'static,
    {
        let (operation, paged) = (endpoint.operation(), endpoint.is_paged());
        let (request, parser) = endpoint.into_parts();
        let walk = Walk {
            client: self.clone(),
            operation,
            paged,
            next: Some(query_number(&request, PAGE_NUM).unwrap_or(FIRST_PAGE)),
            size: query_number(&request, ITEMS_PER_PAGE).unwrap_or(DEFAULT_PAGE_SIZE),
            request,
            parser,
        };
        Pages { operation, inner: Box::pin(stream::unfold(walk, Walk::step).fuse()) }
    }

    /// The items of every page of a paged list operation, in order: the
    /// results of [`pages`](Self::pages), one by one, fetched as the stream
    /// is read. A failed page ends it with its [`PageError`].
    ///
    /// ```ignore
    /// let projects = client.items(atlas::list_projects(&ListProjectsQuery::default())?).collect_all().await?;
    /// ```
    pub fn items<B, E>(&self, endpoint: Endpoint<B, E>) -> Items<B::Item, E>
    where
        B: Paginated + Send + 'static,
        B::Item: Send + 'static,
        E: DeserializeOwned + Send + 'static,
    {
        self.pages(endpoint).into_items()
    }
}

/// Where paging is: the request to repeat, the page size and the next page.
struct Walk<B, E> {
    client: Client,
    operation: &'static str,
    /// Whether the operation takes the page parameters; if not, its
    /// request is sent once, as built.
    paged: bool,
    request: http::Request<Vec<u8>>,
    parser: ResponseParser<B, E>,
    size: i64,
    /// The page to fetch next; `None` once paging has ended.
    next: Option<i64>,
}

impl<B: Paginated, E: DeserializeOwned> Walk<B, E> {
    /// Fetches the next page, and decides whether another may follow.
    async fn step(mut self) -> Option<(Result<Page<B>, PageError<E>>, Self)> {
        let number = self.next.take()?;
        let fetched = self.fetch(number).await;
        if self.paged && fetched.as_ref().is_ok_and(|page| page.continues(self.size)) {
            self.next = number.checked_add(1);
        }
        Some((fetched, self))
    }

    async fn fetch(&self, number: i64) -> Result<Page<B>, PageError<E>> {
        let answer = if !self.paged {
            self.client.call(&self.request, self.parser).await
        } else {
            match page_request(&self.request, number, self.size) {
                Ok(request) => self.client.call(&request, self.parser).await,
                Err(error) => Err(Error::Request(RequestError::Http(error))),
            }
        };
        answer.map(|body| Page { number, body }).map_err(|source| PageError {
            operation: self.operation,
            page: number,
            source,
        })
    }
}

/// The value of a whole-number query parameter of a request, if it has one.
fn query_number(request: &http::Request<Vec<u8>>, name: &str) -> Option<i64> {
    query_pairs(request).find(|pair| parameter(pair) == name)?.split_once('=')?.1.parse().ok()
}

/// The `name=value` pairs of a request's query, percent-encoded as sent.
fn query_pairs(request: &http::Request<Vec<u8>>) -> impl Iterator<Item = &str> {
    request.uri().query().unwrap_or_default().split('&').filter(|pair| !pair.is_empty())
}

/// The name of a query pair.
fn parameter(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(name, _)| name)
}

/// The request for page `number`: the endpoint's, with `pageNum` and
/// `itemsPerPage` set, and `includeCount=false` unless it sets
/// `includeCount`; every other query pair and header as built.
fn page_request(
    template: &http::Request<Vec<u8>>,
    number: i64,
    size: i64,
) -> Result<http::Request<Vec<u8>>, http::Error> {
    let mut query: Vec<String> = query_pairs(template)
        .filter(|pair| !matches!(parameter(pair), PAGE_NUM | ITEMS_PER_PAGE))
        .map(str::to_owned)
        .collect();
    query.push(format!("{PAGE_NUM}={number}"));
    query.push(format!("{ITEMS_PER_PAGE}={size}"));
    if !query_pairs(template).any(|pair| parameter(pair) == INCLUDE_COUNT) {
        query.push(format!("{INCLUDE_COUNT}=false"));
    }
    let uri = format!("{}?{}", template.uri().path(), query.join("&"));
    let mut request =
        http::Request::builder().method(template.method().clone()).uri(uri).body(template.body().clone())?;
    *request.headers_mut() = template.headers().clone();
    Ok(request)
}

/// One page of results: its number and the answer's body.
#[derive(Debug, Clone)]
pub struct Page<B> {
    number: i64,
    body: B,
}

impl<B> Page<B> {
    /// The page's number (`pageNum`), from 1.
    pub fn number(&self) -> i64 {
        self.number
    }

    /// The answer's body, as decoded.
    pub fn body(&self) -> &B {
        &self.body
    }

    /// The answer's body, by value.
    pub fn into_body(self) -> B {
        self.body
    }
}

impl<B: Paginated> Page<B> {
    /// The page's results, in the order Atlas sent them.
    pub fn items(&self) -> &[B::Item] {
        self.body.items()
    }

    /// The page's results, by value.
    pub fn into_items(self) -> Vec<B::Item> {
        self.body.into_items()
    }

    /// Whether another page may follow: this one links to a next page and
    /// is full. An empty or short page is the last, whatever its links say.
    fn continues(&self, size: i64) -> bool {
        let count = self.body.items().len();
        self.body.has_next() && count > 0 && i64::try_from(count).is_ok_and(|count| count >= size)
    }
}

/// The pages of a paged list operation, from [`Client::pages`]: a
/// [`Stream`], and, without a stream library, [`next`](Self::next) and
/// [`collect_all`](Self::collect_all). A page is fetched when it is asked for.
#[must_use = "pages are fetched only when the stream is read"]
pub struct Pages<B, E> {
    operation: &'static str,
    inner: Boxed<Page<B>, E>,
}

impl<B, E> Pages<B, E> {
    /// The next page, or the error that ends the stream; `None` when there
    /// are no more pages, and after an error.
    pub async fn next(&mut self) -> Option<Result<Page<B>, PageError<E>>> {
        self.inner.next().await
    }

    /// Every page from here to the last, or the first error.
    ///
    /// # Errors
    ///
    /// The [`PageError`] of the page that failed.
    pub async fn collect_all(mut self) -> Result<Vec<Page<B>>, PageError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<B, E> Pages<B, E>
where
    B: Paginated + Send + 'static,
    B::Item: Send + 'static,
    E: Send + 'static,
{
    /// The items of the pages from here on, one by one.
    pub fn into_items(self) -> Items<B::Item, E> {
        let operation = self.operation;
        let items = stream::unfold(Some((self, Vec::new().into_iter())), |state| async move {
            let (mut pages, mut pending) = state?;
            loop {
                if let Some(item) = pending.next() {
                    return Some((Ok(item), Some((pages, pending))));
                }
                match pages.next().await? {
                    Ok(page) => pending = page.into_items().into_iter(),
                    Err(error) => return Some((Err(error), None)),
                }
            }
        });
        Items { operation, inner: Box::pin(items.fuse()) }
    }
}

impl<B, E> Stream for Pages<B, E> {
    type Item = Result<Page<B>, PageError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<B, E> fmt::Debug for Pages<B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("operation", &self.operation).finish_non_exhaustive()
    }
}

/// The items of every page of a paged list operation, in order, from
/// [`Client::items`]: a [`Stream`], and, without a stream library,
/// [`next`](Self::next) and [`collect_all`](Self::collect_all). A page is
/// fetched when its first item is asked for.
#[must_use = "pages are fetched only when the stream is read"]
pub struct Items<T, E> {
    operation: &'static str,
    inner: Boxed<T, E>,
}

impl<T, E> Items<T, E> {
    /// The next item, or the error that ends the stream; `None` when there
    /// are no more, and after an error.
    pub async fn next(&mut self) -> Option<Result<T, PageError<E>>> {
        self.inner.next().await
    }

    /// Every item from here to the end, or the first error.
    ///
    /// # Errors
    ///
    /// The [`PageError`] of the page that failed.
    pub async fn collect_all(mut self) -> Result<Vec<T>, PageError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, E> Stream for Items<T, E> {
    type Item = Result<T, PageError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("operation", &self.operation).finish_non_exhaustive()
    }
}

/// Why paging stopped before the last page: the call for one page failed.
/// It names the operation and the page; [`error`](Self::error) is what
/// [`Client::send`] would have returned for that call.
#[derive(Debug)]
pub struct PageError<E> {
    operation: &'static str,
    page: i64,
    source: Error<E>,
}

impl<E> PageError<E> {
    /// The `operationId` of the paged operation, such as `listProjects`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The number (`pageNum`) of the page that failed.
    pub fn page(&self) -> i64 {
        self.page
    }

    /// Why the call for the page failed.
    pub fn error(&self) -> &Error<E> {
        &self.source
    }

    /// Why the call for the page failed, by value.
    pub fn into_error(self) -> Error<E> {
        self.source
    }
}

impl<E> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {} of `{}` failed: {}", self.page, self.operation, self.source)
    }
}

impl<E: fmt::Debug + 'static> std::error::Error for PageError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str) -> http::Request<Vec<u8>> {
        http::Request::builder()
            .method(http::Method::GET)
            .uri(uri)
            .header(http::header::ACCEPT, "application/vnd.atlas.2023-01-01+json")
            .body(Vec::new())
            .expect("a request")
    }

    #[test]
    fn page_requests_set_the_page_and_keep_everything_else() {
        let template = request("/api/groups?pretty=true&itemsPerPage=7&name=a%26b&pageNum=3");
        assert_eq!(query_number(&template, PAGE_NUM), Some(3));
        assert_eq!(query_number(&template, ITEMS_PER_PAGE), Some(7));
        let page = page_request(&template, 4, 7).expect("a request");
        assert_eq!(page.uri(), "/api/groups?pretty=true&name=a%26b&pageNum=4&itemsPerPage=7&includeCount=false");
        assert_eq!(page.method(), http::Method::GET);
        assert_eq!(page.headers(), template.headers());
    }

    #[test]
    fn the_callers_include_count_is_kept() {
        for given in ["true", "false"] {
            let page = page_request(&request(&format!("/api/groups?includeCount={given}")), 1, 100).expect("request");
            assert_eq!(page.uri().query(), Some(format!("includeCount={given}&pageNum=1&itemsPerPage=100").as_str()));
        }
        assert_eq!(query_number(&request("/api/groups"), PAGE_NUM), None);
        let page = page_request(&request("/api/groups"), 1, 100).expect("request");
        assert_eq!(page.uri().query(), Some("pageNum=1&itemsPerPage=100&includeCount=false"));
    }
}
