//! The client's paging against servers on 127.0.0.1: where it starts, how
//! big pages are, what it sends, when it stops, and how it fails. The body
//! type is written by hand as the generator writes it, so that the runtime
//! is tested here without a regeneration.
#![cfg(feature = "client")]

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use atlas_codegen_runtime::runtime::client::{Client, Error, PageError, RetryPolicy};
use atlas_codegen_runtime::runtime::{Endpoint, Paginated, RequestBuilder, SuccessBody};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PROJECTS: &str = "/api/atlas/v2/groups";
const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A page of projects, as a generated crate declares it: `results` and
/// `links` optional, `totalCount` kept but never read by paging.
#[derive(Debug, serde::Deserialize)]
struct PaginatedProjects {
    results: Option<Vec<Project>>,
    links: Option<Vec<Link>>,
    #[serde(rename = "totalCount")]
    #[allow(dead_code)] // there to be ignored
    total_count: Option<i64>,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Project {
    name: String,
}

#[derive(Debug, serde::Deserialize)]
struct Link {
    rel: Option<String>,
}

impl Paginated for PaginatedProjects {
    type Item = Project;

    fn items(&self) -> &[Project] {
        self.results.as_deref().unwrap_or_default()
    }

    fn into_items(self) -> Vec<Project> {
        self.results.unwrap_or_default()
    }

    fn has_next(&self) -> bool {
        self.links.iter().flatten().any(|link| link.rel.as_deref() == Some("next"))
    }
}

/// The query of `listProjects` as a caller sets it, and the endpoint
/// function a generated crate would have for it.
#[derive(Default)]
struct Query {
    page_num: Option<i64>,
    items_per_page: Option<i64>,
    include_count: Option<bool>,
}

fn list_projects(query: &Query) -> Endpoint<PaginatedProjects, Value> {
    RequestBuilder::new("listProjects", http::Method::GET, MEDIA_TYPE)
        .literal(PROJECTS)
        .query("includeCount", query.include_count.as_ref())
        .query("itemsPerPage", query.items_per_page.as_ref())
        .query("pageNum", query.page_num.as_ref())
        .query("name", Some("a&b"))
        .paged()
        .build(200, SuccessBody::Json)
        .expect("a valid request")
}

/// An operation that answers with a page but does not take the page
/// parameters, as the generator leaves it: not paged.
fn create_projects(query: &Query) -> Endpoint<PaginatedProjects, Value> {
    RequestBuilder::new("createProjects", http::Method::POST, MEDIA_TYPE)
        .literal(PROJECTS)
        .query("itemsPerPage", query.items_per_page.as_ref())
        .json_body(&json!([{"name": "new"}]))
        .expect("a body")
        .build(200, SuccessBody::Json)
        .expect("a valid request")
}

fn name(index: usize) -> String {
    format!("project-{index}")
}

fn names(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(name).collect()
}

/// `count` projects served a page at a time by `pageNum` and `itemsPerPage`
/// (Atlas's defaults when absent), with a `next` link to `next_base` while
/// there are more, or on every page with `next_always`; `total_count` is
/// what the pages claim there are in all. `faults` are answers given first,
/// by page number.
struct Projects {
    count: usize,
    total_count: usize,
    next_base: String,
    next_always: bool,
    faults: Mutex<HashMap<usize, VecDeque<ResponseTemplate>>>,
}

impl Projects {
    fn new(server: &MockServer, count: usize) -> Self {
        Projects { count, total_count: count, next_base: server.uri(), next_always: false, faults: Mutex::default() }
    }

    fn fault(self, page: usize, answers: impl IntoIterator<Item = ResponseTemplate>) -> Self {
        self.faults.lock().expect("lock").entry(page).or_default().extend(answers);
        self
    }

    async fn mount(self, server: &MockServer) {
        Mock::given(method("GET")).and(path(PROJECTS)).respond_with(self).mount(server).await;
    }
}

impl Respond for Projects {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number =
            |name: &str, default: usize| query(request, name).map_or(default, |v| v.parse().expect("a number"));
        let (page, size) = (number("pageNum", 1), number("itemsPerPage", 100));
        if let Some(fault) = self.faults.lock().expect("lock").get_mut(&page).and_then(VecDeque::pop_front) {
            return fault;
        }
        if (page - 1) * size > self.count + size {
            // A pager that does not stop would ask forever: fail it instead.
            return ResponseTemplate::new(400).set_body_json(json!({"errorCode": "PAST_THE_END"}));
        }
        let start = ((page - 1) * size).min(self.count);
        let end = (start + size).min(self.count);
        let results: Vec<Value> = (start..end).map(|index| json!({"name": name(index)})).collect();
        let mut links = vec![json!({"rel": "self", "href": format!("{}{PROJECTS}?pageNum={page}", self.next_base)})];
        if end < self.count || self.next_always {
            let href = format!("{}{PROJECTS}?pageNum={}&itemsPerPage={size}", self.next_base, page + 1);
            links.push(json!({"rel": "next", "href": href}));
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "results": results,
            "totalCount": self.total_count,
            "links": links,
        }))
    }
}

fn query(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// A client of `server` with a service account, whose retries wait
/// milliseconds.
async fn client(server: &MockServer) -> Client {
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "token-1",
            "expires_in": 3600,
            "token_type": "Bearer",
        })))
        .mount(server)
        .await;
    Client::builder()
        .service_account("mdb_sa_id_pages", "mdb_sa_sk_pages")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .expect("a valid client")
}

/// The requests for pages the server received, in order.
async fn page_requests(server: &MockServer) -> Vec<Request> {
    let received = server.received_requests().await.expect("recording is on");
    received.into_iter().filter(|request| request.url.path() == PROJECTS).collect()
}

/// `(pageNum, itemsPerPage, includeCount)` of each request for a page.
async fn paging_sent(server: &MockServer) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    let requests = page_requests(server).await;
    requests
        .iter()
        .map(|request| (query(request, "pageNum"), query(request, "itemsPerPage"), query(request, "includeCount")))
        .collect()
}

fn sent(page: &str, size: &str, count: &str) -> (Option<String>, Option<String>, Option<String>) {
    (Some(page.to_owned()), Some(size.to_owned()), Some(count.to_owned()))
}

async fn all_names(client: &Client, query: &Query) -> Result<Vec<String>, PageError<Value>> {
    let items = client.items(list_projects(query)).collect_all().await?;
    Ok(items.into_iter().map(|project| project.name).collect())
}

#[tokio::test]
async fn items_come_in_order_across_pages_with_the_same_authentication() {
    let server = MockServer::start().await;
    Projects::new(&server, 250).mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..250));
    assert_eq!(
        paging_sent(&server).await,
        [sent("1", "100", "false"), sent("2", "100", "false"), sent("3", "100", "false")]
    );
    for request in page_requests(&server).await {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(header("authorization").as_deref(), Some("Bearer token-1"));
        assert_eq!(header("accept").as_deref(), Some(MEDIA_TYPE));
        assert_eq!(query(&request, "name").as_deref(), Some("a&b"), "other parameters go out as built");
    }
}

#[tokio::test]
async fn pages_come_numbered_and_end_at_the_last() {
    let server = MockServer::start().await;
    Projects::new(&server, 250).mount(&server).await;
    let client = client(&server).await;

    let mut pages = client.pages(list_projects(&Query::default()));
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        seen.push((page.number(), page.items().len(), page.body().total_count));
    }
    assert_eq!(seen, [(1, 100, Some(250)), (2, 100, Some(250)), (3, 50, Some(250))]);
    assert!(pages.next().await.is_none(), "an ended stream stays ended");
}

#[tokio::test]
async fn an_empty_first_page_ends_paging_even_with_a_next_link() {
    let server = MockServer::start().await;
    Projects { next_always: true, ..Projects::new(&server, 0) }.mount(&server).await;
    let client = client(&server).await;

    let pages = client.pages(list_projects(&Query::default())).collect_all().await.expect("one page");
    let shown: Vec<(i64, usize)> = pages.iter().map(|page| (page.number(), page.items().len())).collect();
    assert_eq!(shown, [(1, 0)]);
    assert_eq!(all_names(&client, &Query::default()).await.expect("no items"), Vec::<String>::new());
    assert_eq!(paging_sent(&server).await, [sent("1", "100", "false"), sent("1", "100", "false")]);
}

#[tokio::test]
async fn a_full_last_page_ends_paging_without_a_next_link() {
    let server = MockServer::start().await;
    Projects::new(&server, 200).mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..200));
    assert_eq!(paging_sent(&server).await, [sent("1", "100", "false"), sent("2", "100", "false")]);
}

#[tokio::test]
async fn a_full_last_page_with_a_next_link_ends_at_the_empty_page_after_it() {
    let server = MockServer::start().await;
    Projects { next_always: true, ..Projects::new(&server, 200) }.mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..200));
    let sent_pages: Vec<Option<String>> = paging_sent(&server).await.into_iter().map(|(page, ..)| page).collect();
    assert_eq!(sent_pages, [Some("1".into()), Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn a_short_page_is_the_last_whatever_its_links_say() {
    let server = MockServer::start().await;
    Projects { next_always: true, ..Projects::new(&server, 150) }.mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..150));
    assert_eq!(paging_sent(&server).await, [sent("1", "100", "false"), sent("2", "100", "false")]);
}

#[tokio::test]
async fn a_wrong_total_count_is_ignored() {
    let server = MockServer::start().await;
    Projects { total_count: 7, ..Projects::new(&server, 120) }.mount(&server).await;
    let client = client(&server).await;
    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..120));

    let server = MockServer::start().await;
    Projects { total_count: 1_000_000, ..Projects::new(&server, 120) }.mount(&server).await;
    let client = self::client(&server).await;
    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..120));
    assert_eq!(page_requests(&server).await.len(), 2, "no page asked for past the last");
}

#[tokio::test]
async fn include_count_is_false_unless_the_caller_sets_it() {
    let server = MockServer::start().await;
    Projects::new(&server, 150).mount(&server).await;
    let client = client(&server).await;

    let counted = Query { include_count: Some(true), ..Query::default() };
    assert_eq!(all_names(&client, &counted).await.expect("every page"), names(0..150));
    let uncounted = Query { include_count: Some(false), ..Query::default() };
    assert_eq!(all_names(&client, &uncounted).await.expect("every page"), names(0..150));
    assert_eq!(
        paging_sent(&server).await,
        [sent("1", "100", "true"), sent("2", "100", "true"), sent("1", "100", "false"), sent("2", "100", "false")]
    );
}

#[tokio::test]
async fn the_start_page_and_page_size_come_from_the_request() {
    let server = MockServer::start().await;
    Projects::new(&server, 35).mount(&server).await;
    let client = client(&server).await;

    let query = Query { page_num: Some(2), items_per_page: Some(10), ..Query::default() };
    let pages = client.pages(list_projects(&query)).collect_all().await.expect("every page");
    let numbers: Vec<i64> = pages.iter().map(|page| page.number()).collect();
    assert_eq!(numbers, [2, 3, 4]);
    let items: Vec<String> = pages.into_iter().flat_map(|page| page.into_items()).map(|p| p.name).collect();
    assert_eq!(items, names(10..35));
    assert_eq!(
        paging_sent(&server).await,
        [sent("2", "10", "false"), sent("3", "10", "false"), sent("4", "10", "false")]
    );
}

#[tokio::test]
async fn a_rate_limited_page_is_retried_and_paging_goes_on() {
    let server = MockServer::start().await;
    let rate_limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "0")
        .set_body_json(json!({"error": 429, "errorCode": "RATE_LIMITED", "detail": "Slow down."}));
    Projects::new(&server, 250).fault(3, [rate_limited]).mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..250));
    let sent_pages: Vec<Option<String>> = paging_sent(&server).await.into_iter().map(|(page, ..)| page).collect();
    assert_eq!(sent_pages, [Some("1".into()), Some("2".into()), Some("3".into()), Some("3".into())]);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    let failure = || {
        ResponseTemplate::new(500)
            .set_body_json(json!({"error": 500, "errorCode": "UNEXPECTED_ERROR", "detail": "Something broke."}))
    };
    Projects::new(&server, 450).fault(3, [failure(), failure()]).mount(&server).await;
    let client = client(&server).await;

    let mut items = client.items(list_projects(&Query::default()));
    let mut received = Vec::new();
    let error = loop {
        match items.next().await.expect("the stream ends with the error, not before") {
            Ok(project) => received.push(project.name),
            Err(error) => break error,
        }
    };
    assert_eq!(received, names(0..200));
    assert_eq!((error.operation(), error.page()), ("listProjects", 3));
    assert_eq!(error.error().status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.error().error_code(), Some("UNEXPECTED_ERROR"));
    assert_eq!(
        error.to_string(),
        "page 3 of `listProjects` failed: Atlas answered 500 Internal Server Error: UNEXPECTED_ERROR: Something broke."
    );
    assert!(items.next().await.is_none(), "nothing after the error");
    assert!(items.next().await.is_none(), "an ended stream stays ended");
    assert_eq!(page_requests(&server).await.len(), 3, "no page asked for after the failure");
}

#[tokio::test]
async fn next_links_to_another_host_are_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Projects { next_base: elsewhere.uri(), ..Projects::new(&server, 250) }.mount(&server).await;
    let client = client(&server).await;

    assert_eq!(all_names(&client, &Query::default()).await.expect("every page"), names(0..250));
    assert_eq!(page_requests(&server).await.len(), 3, "every page from the base URL");
    let received = elsewhere.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "the other host received {received:?}");
}

#[tokio::test]
async fn a_page_whose_results_is_not_a_list_is_an_error_naming_operation_and_page() {
    let server = MockServer::start().await;
    let broken = ResponseTemplate::new(200).set_body_json(json!({
        "results": "project-100",
        "links": [{"rel": "next", "href": "https://cloud.mongodb.com/api/atlas/v2/groups?pageNum=3"}],
    }));
    Projects::new(&server, 250).fault(2, [broken]).mount(&server).await;
    let client = client(&server).await;

    let error = all_names(&client, &Query::default()).await.expect_err("page 2 is not a page");
    assert_eq!((error.operation(), error.page()), ("listProjects", 2));
    assert!(matches!(error.error(), Error::Undecodable(_)), "{error:?}");
    assert!(error.to_string().starts_with("page 2 of `listProjects` failed: the 200 OK response body"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(page_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn pages_and_items_are_streams_that_can_be_spawned() {
    use futures_util::StreamExt;

    let server = MockServer::start().await;
    Projects::new(&server, 120).mount(&server).await;
    let client = client(&server).await;

    let sizes: Vec<usize> =
        client.pages(list_projects(&Query::default())).map(|page| page.expect("a page").items().len()).collect().await;
    assert_eq!(sizes, [100, 20]);
    let items = client.items(list_projects(&Query::default()));
    let names_found = tokio::spawn(async move { items.collect_all().await }).await.expect("the task ran");
    assert_eq!(names_found.expect("every page").len(), 120);
}

#[tokio::test]
async fn an_endpoint_that_is_not_paged_is_sent_once_as_built() {
    let server = MockServer::start().await;
    let full_page = json!({
        "results": (0..100).map(|index| json!({"name": name(index)})).collect::<Vec<_>>(),
        "links": [{"rel": "next", "href": format!("{}{PROJECTS}?pageNum=2", server.uri())}],
    });
    // Answered once: a second POST gets a 404, so a pager that sent one would fail, not loop.
    Mock::given(method("POST"))
        .and(path(PROJECTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(full_page))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client(&server).await;

    let query = Query { items_per_page: Some(100), ..Query::default() };
    let endpoint = create_projects(&query);
    assert!(!endpoint.is_paged());
    let pages = client.pages(endpoint).collect_all().await.expect("the one answer");
    let shown: Vec<(i64, usize)> = pages.iter().map(|page| (page.number(), page.items().len())).collect();
    assert_eq!(shown, [(1, 100)]);
    let posts = page_requests(&server).await;
    assert_eq!(posts.len(), 1, "a POST is never sent twice to page");
    assert_eq!(posts[0].url.query(), Some("itemsPerPage=100"), "sent as built");
}
