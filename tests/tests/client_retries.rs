//! Rate limits and 5xx answers against a server on loopback: 429 with and
//! without `Retry-After`, 503, the bounds of the retry policy, no re-sending
//! of a POST that may have been applied, and the rate-limit headers.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin_invitations::client::{Error, RateLimit};
use atlas_admin_invitations::models::{ApiError, OrganizationInvitationRequest};
use atlas_admin_invitations::v2025_03_12::{CreateOrgInviteQuery, GetOrgInviteQuery};
use client_common::*;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers the first `failures` API requests with `failure`, then 200.
struct Flaky {
    failures: usize,
    failure: fn() -> ResponseTemplate,
    count: Arc<AtomicUsize>,
}

impl Respond for Flaky {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        if n < self.failures {
            (self.failure)()
        } else {
            ResponseTemplate::new(200)
                .insert_header("RateLimit-Limit", "100")
                .insert_header("RateLimit-Remaining", "97")
                .set_body_json(org_invitation())
        }
    }
}

fn rate_limited() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("RateLimit-Limit", "100")
        .insert_header("RateLimit-Remaining", "0")
        .set_body_json(api_error(429, "RATE_LIMITED", "Too many requests to /api/atlas/v2/orgs/{orgId}/invites."))
}

fn rate_limited_retry_after_1() -> ResponseTemplate {
    rate_limited().insert_header("Retry-After", "1")
}

fn rate_limited_retry_after_120() -> ResponseTemplate {
    rate_limited().insert_header("Retry-After", "120")
}

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503).insert_header("Retry-After", "0").set_body_string("<html>503 Service Unavailable</html>")
}

/// A server whose API fails `failures` times; returns the API request count.
async fn flaky(server: &MockServer, failures: usize, failure: fn() -> ResponseTemplate) -> Arc<AtomicUsize> {
    TokenEndpoint::new(3600).mount(server, Duration::ZERO).await;
    let count = Arc::new(AtomicUsize::new(0));
    let responder = Flaky { failures, failure, count: count.clone() };
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/")).respond_with(responder).mount(server).await;
    count
}

async fn get(client: &atlas_admin_invitations::client::Client) -> Result<(), Error<ApiError>> {
    client.v2025_03_12().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.map(drop)
}

async fn create(client: &atlas_admin_invitations::client::Client) -> Result<(), Error<ApiError>> {
    let body = OrganizationInvitationRequest::default().with_username("carol@example.com");
    client.v2025_03_12().create_org_invite(&org(), &body, &CreateOrgInviteQuery::default()).await.map(drop)
}

#[tokio::test]
async fn a_429_with_retry_after_waits_at_least_that_long() {
    let server = MockServer::start().await;
    let count = flaky(&server, 1, rate_limited_retry_after_1).await;
    let client = service_account(&server).build().expect("client");
    let started = Instant::now();
    get(&client).await.expect("succeeds after the wait");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert_eq!(count.load(Ordering::SeqCst), 2);
    let limit = client.last_rate_limit().expect("rate-limit headers");
    assert_eq!((limit.limit, limit.remaining), (Some(100), Some(97)));
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_exponentially() {
    let server = MockServer::start().await;
    let count = flaky(&server, 2, rate_limited).await;
    let client = service_account(&server).build().expect("client");
    let started = Instant::now();
    get(&client).await.expect("succeeds on the third try");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    // Backoff 5 ms then 10 ms, each at least half of that with jitter.
    assert!(started.elapsed() >= Duration::from_millis(7), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_429_post_is_retried_because_it_was_not_applied() {
    let server = MockServer::start().await;
    let count = flaky(&server, 1, rate_limited).await;
    let client = service_account(&server).build().expect("client");
    create(&client).await.expect("created on the second try");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_returns_the_429_at_once() {
    let server = MockServer::start().await;
    let count = flaky(&server, 1, rate_limited_retry_after_120).await;
    let client = service_account(&server).build().expect("client");
    let started = Instant::now();
    let error = get(&client).await.expect_err("waiting two minutes exceeds the budget");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert!(error.is_code("RATE_LIMITED"), "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(
        error.rate_limit().copied(),
        Some(RateLimit { limit: Some(100), remaining: Some(0), retry_after: Some(Duration::from_secs(120)) })
    );
    let api = error.api_error().expect("Atlas error");
    assert_eq!(api.rate_limit().remaining, Some(0));
    assert!(api.detail().is_some_and(|d| d.contains("Too many requests")));
    assert_eq!(client.last_rate_limit().and_then(|l| l.remaining), Some(0));
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    let count = flaky(&server, usize::MAX, rate_limited).await;
    let client = service_account(&server).retry_policy(fast_retries().max_attempts(3)).build().expect("client");
    let error = get(&client).await.expect_err("always rate limited");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert!(error.is_code("RATE_LIMITED"));
}

#[tokio::test]
async fn a_503_get_is_retried() {
    let server = MockServer::start().await;
    let count = flaky(&server, 2, unavailable).await;
    let client = service_account(&server).build().expect("client");
    get(&client).await.expect("succeeds on the third try");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_503_post_is_not_resent_unless_opted_in() {
    let server = MockServer::start().await;
    let count = flaky(&server, 1, unavailable).await;
    let client = service_account(&server).build().expect("client");
    let error = create(&client).await.expect_err("a POST that may have been applied is not sent again");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    match &error {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status(), http::StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.body(), b"<html>503 Service Unavailable</html>");
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }

    let server = MockServer::start().await;
    let count = flaky(&server, 1, unavailable).await;
    let client =
        service_account(&server).retry_policy(fast_retries().retry_non_idempotent(true)).build().expect("client");
    create(&client).await.expect("sent again when the caller opts in");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}
