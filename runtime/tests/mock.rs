//! The mock Atlas's machinery, on endpoints built as generated code builds
//! them: matching, typed answers, both authentication methods, 406, faults,
//! and how an unmatched request or an unmet expectation is reported.
#![cfg(feature = "mock")]

use std::time::Duration;

use atlas_codegen_runtime::reqwest;
use atlas_codegen_runtime::runtime::client::{Client, Error, RetryPolicy};
use atlas_codegen_runtime::runtime::mock::{DocumentedOperation, MockAtlas};
use atlas_codegen_runtime::runtime::{Endpoint, RawBody, RequestBuilder, RequestError, SuccessBody};

const THINGS: &str = "application/vnd.atlas.2024-01-01+json";
const OLD_THINGS: &str = "application/vnd.atlas.2023-01-01+json";

static OPERATIONS: [DocumentedOperation; 3] = [
    DocumentedOperation {
        id: "listThings",
        method: "GET",
        path: "/api/atlas/v2/groups/{groupId}/things",
        media_types: &[OLD_THINGS, THINGS],
        error_statuses: &[400, 404],
    },
    DocumentedOperation {
        id: "createThing",
        method: "POST",
        path: "/api/atlas/v2/groups/{groupId}/things",
        media_types: &[THINGS],
        error_statuses: &[400, 409],
    },
    DocumentedOperation {
        id: "downloadThing",
        method: "GET",
        path: "/api/atlas/v2/things/{name}:download",
        media_types: &["application/vnd.atlas.2024-01-01+gzip"],
        error_statuses: &[],
    },
];

type ApiError = serde_json::Value;

fn list_things(group: &str, page: Option<u32>) -> Result<Endpoint<Vec<String>, ApiError>, RequestError> {
    RequestBuilder::new("listThings", http::Method::GET, THINGS)
        .literal("/api/atlas/v2/groups/")
        .segment(group)
        .literal("/things")
        .query("pageNum", page)
        .build(200, SuccessBody::Json)
}

fn create_thing(group: &str, name: &str) -> Result<Endpoint<String, ApiError>, RequestError> {
    RequestBuilder::new("createThing", http::Method::POST, THINGS)
        .literal("/api/atlas/v2/groups/")
        .segment(group)
        .literal("/things")
        .json_body(&serde_json::json!({"name": name}))?
        .build(201, SuccessBody::Json)
}

fn download_thing(name: &str) -> Result<Endpoint<RawBody, ApiError>, RequestError> {
    RequestBuilder::new("downloadThing", http::Method::GET, "application/vnd.atlas.2024-01-01+gzip")
        .literal("/api/atlas/v2/things/")
        .segment(name)
        .literal(":download")
        .build(200, SuccessBody::Raw)
}

fn things() -> Vec<String> {
    vec!["a".to_owned(), "b".to_owned()]
}

async fn start() -> MockAtlas {
    MockAtlas::start_with(&OPERATIONS).await
}

#[tokio::test]
async fn a_typed_answer_reaches_both_kinds_of_client() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).returns(things()).times(2).await;
    assert_eq!(atlas.client().send(list_things("g1", None)).await.expect("listed"), things());
    assert_eq!(atlas.api_key_client().send(list_things("g1", None)).await.expect("listed"), things());
    atlas.verify();
}

#[tokio::test]
async fn bodies_match_as_json_and_raw_bodies_go_out_as_given() {
    let atlas = start().await;
    atlas.expect(create_thing("g1", "c")).returns("c".to_owned()).await;
    atlas.expect(download_thing("t1")).returns(RawBody::from(vec![0x1f, 0x8b, 0])).await;
    assert_eq!(atlas.client().send(create_thing("g1", "c")).await.expect("created"), "c");
    let raw = atlas.client().send(download_thing("t1")).await.expect("downloaded");
    assert_eq!(raw.as_bytes(), [0x1f, 0x8b, 0]);
    atlas.verify();
}

#[tokio::test]
async fn an_unmatched_request_names_the_closest_expectation_and_the_difference() {
    let atlas = start().await;
    atlas.expect(list_things("g1", Some(1))).returns(things()).await;
    atlas.expect(create_thing("g1", "c")).returns("c".to_owned()).await;
    let error = atlas.client().send(list_things("g1", Some(2))).await.expect_err("nothing matches");
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    let report = atlas.check().expect_err("an unmatched request and an unmet expectation").to_string();
    assert!(report.contains("GET /api/atlas/v2/groups/g1/things?pageNum=2 matched no expectation"), "{report}");
    assert!(report.contains("closest: expectation `listThings`"), "{report}");
    assert!(report.contains("query: expected `pageNum=1`, got `pageNum=2`"), "{report}");
    assert!(report.contains("tests/mock.rs:"), "the declaration site: {report}");
    // Both expectations are unmet, which drop would also report.
    atlas.client().send(list_things("g1", Some(1))).await.expect("listed");
    atlas.client().send(create_thing("g1", "c")).await.expect("created");
    let report = atlas.finish().expect_err("still the unmatched request");
    assert_eq!((report.unmatched.len(), report.unmet.len()), (1, 0), "{report}");
}

#[tokio::test]
async fn a_request_past_its_count_is_reported_as_such() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).returns(things()).once().await;
    atlas.client().send(list_things("g1", None)).await.expect("listed");
    atlas.client().send(list_things("g1", None)).await.expect_err("one too many");
    let report = atlas.finish().expect_err("one too many").to_string();
    assert!(report.contains("matches but already got all its requests"), "{report}");
}

#[tokio::test]
async fn an_unmet_expectation_fails_verification() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).returns(things()).times(2).await;
    atlas.client().send(list_things("g1", None)).await.expect("listed");
    let report = atlas.finish().expect_err("one request short");
    assert_eq!(report.unmet.len(), 1);
    assert!(report.unmet[0].contains("`listThings` (GET /api/atlas/v2/groups/g1/things)"), "{report}");
    assert!(report.unmet[0].ends_with("expected 2 request(s), got 1"), "{report}");
}

#[tokio::test]
#[should_panic(expected = "got no request")]
async fn dropping_a_mock_with_an_unmet_expectation_fails_the_test() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).returns(things()).await;
}

#[tokio::test]
async fn a_missing_or_undeclared_accept_is_answered_406() {
    let atlas = start().await;
    let raw = reqwest::Client::new();
    let url = format!("{}/api/atlas/v2/groups/g1/things", atlas.uri());
    let token = format!("Bearer {}", atlas.access_token());
    let status = |accept: Option<&'static str>| {
        let mut request = raw.get(&url).header("authorization", &token);
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        async move { request.send().await.expect("an answer").status().as_u16() }
    };
    assert_eq!(status(None).await, 406);
    assert_eq!(status(Some("application/json")).await, 406);
    assert_eq!(status(Some("application/vnd.atlas.2099-01-01+json")).await, 406);
    // A declared resource version without an expectation is a test failure, not a 406.
    assert_eq!(status(Some(OLD_THINGS)).await, 404);
    let report = atlas.finish().expect_err("the old version was not expected");
    assert_eq!(report.unmatched.len(), 1, "{report}");
    assert!(report.unmatched[0].contains("no expectation was declared"), "{report}");
}

#[tokio::test]
async fn requests_without_credentials_are_challenged() {
    let atlas = start().await;
    let response = reqwest::Client::new()
        .get(format!("{}/api/atlas/v2/groups/g1/things", atlas.uri()))
        .header("accept", THINGS)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().expect("text");
    assert!(challenge.starts_with("Digest realm=\"MMS Public API\""), "{challenge}");
    let stranger = Client::builder().api_key("someone", "else").base_url(atlas.uri()).build().expect("a client");
    let error = stranger.send(list_things("g1", None)).await.expect_err("wrong key");
    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    atlas.verify();
}

#[tokio::test]
async fn errors_go_out_with_their_status_and_body() {
    let atlas = start().await;
    let body = serde_json::json!({"error": 409, "errorCode": "DUPLICATE", "detail": "exists"});
    atlas.expect(create_thing("g1", "c")).fails(409, body).await;
    let error = atlas.client().send(create_thing("g1", "c")).await.expect_err("a conflict");
    assert_eq!(error.status(), Some(http::StatusCode::CONFLICT));
    assert_eq!(error.error_code(), Some("DUPLICATE"));
    atlas.verify();
}

#[tokio::test]
#[should_panic(expected = "status 418 is not documented for the operation (documented: [400, 409]")]
async fn an_undocumented_status_is_refused_when_declared() {
    let atlas = start().await;
    let _ = atlas.expect(create_thing("g1", "c")).fails(418, serde_json::json!({}));
}

#[tokio::test]
#[should_panic(expected = "the value does not fit the documented response")]
async fn a_value_the_parser_cannot_read_is_refused_when_declared() {
    let atlas = start().await;
    let nan = RequestBuilder::new("listThings", http::Method::GET, THINGS)
        .literal("/api/atlas/v2/groups/g1/things")
        .build::<f64, ApiError>(200, SuccessBody::Json);
    // NaN is no JSON number: it goes out as `null`, which is no `f64`.
    let _ = atlas.expect(nan).returns(f64::NAN);
}

#[tokio::test]
async fn a_rate_limit_and_an_outage_are_retried_by_the_client() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).rate_limited(Duration::ZERO).once().await;
    atlas.expect(list_things("g1", None)).unavailable().once().await;
    atlas.expect(list_things("g1", None)).returns(things()).once().await;
    assert_eq!(atlas.client().send(list_things("g1", None)).await.expect("listed on the third try"), things());
    atlas.verify();
}

#[tokio::test]
async fn a_rate_limit_carries_retry_after() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).rate_limited(Duration::from_millis(1500)).await;
    let client = atlas.client_builder().retry_policy(RetryPolicy::never()).build().expect("a client");
    let error = client.send(list_things("g1", None)).await.expect_err("limited");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
    atlas.verify();
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let atlas = start().await;
    atlas.expect(list_things("g1", None)).drop_connection().once().await;
    atlas.expect(list_things("g1", None)).returns(things()).once().await;
    // A GET is sent again after a lost connection.
    assert_eq!(atlas.client().send(list_things("g1", None)).await.expect("listed on the retry"), things());
    // A POST is not: the error reaches the caller.
    atlas.expect(create_thing("g1", "c")).drop_connection().await;
    let error = atlas.client().send(create_thing("g1", "c")).await.expect_err("dropped");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    atlas.verify();
}

#[tokio::test]
async fn a_slow_answer_runs_into_the_client_timeout() {
    let atlas = start().await;
    atlas.expect(create_thing("g1", "c")).returns("c".to_owned()).delay(Duration::from_secs(5)).await;
    let client = atlas.client_builder().timeout(Duration::from_millis(100)).build().expect("a client");
    let error = client.send(create_thing("g1", "c")).await.expect_err("too slow");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    atlas.verify();
}

#[tokio::test]
async fn declaring_an_expectation_is_a_send_future() {
    fn is_send<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let atlas = start().await;
    is_send(std::future::IntoFuture::into_future(atlas.expect(list_things("g1", None)).returns(things()))).await;
    atlas.client().send(list_things("g1", None)).await.expect("listed");
    atlas.verify();
}
