//! Service-account authentication against a real token endpoint on loopback:
//! one token for many concurrent calls, reuse until expiry, refresh at
//! expiry, one retry on an expired-token 401, and a clear error for bad
//! client credentials that shows no secret.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin_invitations::client::{AuthError, Error};
use atlas_admin_invitations::v2025_03_12::GetOrgInviteQuery;
use client_common::*;
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The API: answers 200 to the bearer tokens it accepts, else a 401 that
/// says the token expired (RFC 6750), as Atlas's gateway would.
struct Api {
    accepted: fn(&str) -> bool,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = header(request, "authorization").unwrap_or_default();
        self.seen.lock().expect("lock").push(token.clone());
        match token.strip_prefix("Bearer ") {
            Some(token) if (self.accepted)(token) => ResponseTemplate::new(200).set_body_json(org_invitation()),
            _ => ResponseTemplate::new(401)
                .insert_header(
                    "WWW-Authenticate",
                    r#"Bearer error="invalid_token", error_description="The access token expired""#,
                )
                .set_body_json(api_error(401, "UNAUTHORIZED", "The access token expired.")),
        }
    }
}

async fn api(server: &MockServer, accepted: fn(&str) -> bool) -> Arc<Mutex<Vec<String>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let responder = Api { accepted, seen: seen.clone() };
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/")).respond_with(responder).mount(server).await;
    seen
}

#[tokio::test]
async fn one_token_fetch_for_many_concurrent_calls() {
    let server = MockServer::start().await;
    // A slow token endpoint, so that every call asks for the token while it is being fetched.
    let (issued, problems) = TokenEndpoint::new(3600).mount(&server, Duration::from_millis(150)).await;
    let seen = api(&server, |_| true).await;
    let client = service_account(&server).build().expect("client");

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..24 {
        let client = client.clone();
        calls.spawn(async move {
            client.v2025_03_12().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await
        });
    }
    while let Some(result) = calls.join_next().await {
        result.expect("task").expect("call");
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1, "one token fetch for 24 concurrent calls");
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 24);
    assert!(seen.iter().all(|token| token == "Bearer token-1"), "{seen:?}");
    assert!(problems.lock().expect("lock").is_empty(), "{:?}", problems.lock().expect("lock"));
}

#[tokio::test]
async fn a_token_is_reused_until_it_expires() {
    let server = MockServer::start().await;
    let (issued, _) = TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    let seen = api(&server, |_| true).await;
    let client = service_account(&server).build().expect("client");
    for _ in 0..3 {
        client.latest().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.expect("call");
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(*seen.lock().expect("lock"), vec!["Bearer token-1"; 3]);
}

#[tokio::test]
async fn a_token_is_refreshed_when_it_expires() {
    let server = MockServer::start().await;
    // `expires_in: 0`: each token is spent once it has been used.
    let (issued, _) = TokenEndpoint::new(0).mount(&server, Duration::ZERO).await;
    let seen = api(&server, |_| true).await;
    let client = service_account(&server).build().expect("client");
    for _ in 0..3 {
        client.latest().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.expect("call");
    }
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    assert_eq!(*seen.lock().expect("lock"), vec!["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
}

#[tokio::test]
async fn an_expired_token_401_is_retried_once_with_a_new_token() {
    let server = MockServer::start().await;
    let (issued, _) = TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    // The server considers the first token expired although its lifetime says otherwise.
    let seen = api(&server, |token| token != "token-1").await;
    let client = service_account(&server).build().expect("client");
    let found = client
        .v2025_03_12()
        .get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default())
        .await
        .expect("the retry with a new token succeeds");
    assert_eq!(found.username.as_deref(), Some("alice@example.com"));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(*seen.lock().expect("lock"), vec!["Bearer token-1", "Bearer token-2"]);

    // The new token is kept for the next call.
    client.latest().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.expect("call");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_401_with_a_new_token_is_returned_not_retried_again() {
    let server = MockServer::start().await;
    let (issued, _) = TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    let seen = api(&server, |_| false).await;
    let client = service_account(&server).build().expect("client");
    let error = client
        .v2025_03_12()
        .get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default())
        .await
        .expect_err("every token is refused");
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert!(error.is_code("UNAUTHORIZED"), "{error:?}");
    assert_eq!(issued.load(Ordering::SeqCst), 2, "one retry with one new token");
    assert_eq!(seen.lock().expect("lock").len(), 2);
    assert_redacted(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn bad_client_credentials_are_a_clear_authentication_error() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Invalid client credentials"
        })))
        .mount(&server)
        .await;
    let seen = api(&server, |_| true).await;
    let client = service_account(&server).build().expect("client");
    let error = client
        .v2025_03_12()
        .get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default())
        .await
        .expect_err("the token endpoint refuses");
    assert!(error.is_authentication(), "{error:?}");
    match &error {
        Error::Authentication(AuthError::TokenRejected { status, error, description }) => {
            assert_eq!(*status, http::StatusCode::UNAUTHORIZED);
            assert_eq!(error.as_deref(), Some("invalid_client"));
            assert_eq!(description.as_deref(), Some("Invalid client credentials"));
        }
        other => panic!("expected a rejected token request, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("token endpoint refused the service account credentials"), "{message}");
    assert!(message.contains("invalid_client"), "{message}");
    assert!(message.contains("check the client id and secret"), "{message}");
    assert_redacted(&format!("{error} {error:?} {client:?}"));
    assert!(seen.lock().expect("lock").is_empty(), "no API call without a token");
}

#[tokio::test]
async fn a_token_response_without_a_token_is_an_authentication_error() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
        .mount(&server)
        .await;
    let client = service_account(&server).build().expect("client");
    let error = client
        .latest()
        .get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default())
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::Authentication(AuthError::TokenUndecodable { .. })), "{error:?}");
    assert!(!error.to_string().contains("login"), "the body is not echoed: {error}");
}
