//! Faults against servers on loopback: a dropped connection, a refused
//! connection, a slow server, bodies that are not JSON, an Atlas error body,
//! and a role this crate does not know. Each gives the documented result.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin_invitations::client::{Client, Error, RetryPolicy};
use atlas_admin_invitations::models::{ApiError, OrgRole, OrganizationInvitationRequest};
use atlas_admin_invitations::v2025_03_12::{CreateOrgInviteQuery, GetOrgInviteQuery, ListOrgInvitesQuery};
use client_common::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A raw HTTP server on 127.0.0.1 that drops the connection of the first
/// `drops` requests after reading them, then answers 200 with an
/// invitation. Counts the requests it read. Stops with the test.
async fn dropping_server(drops: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        let body = serde_json::to_vec(&org_invitation()).expect("json");
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // Read the head and whatever body its Content-Length announces.
            while let Ok(n) = socket.read(&mut buffer).await {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..n]);
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let n = seen.fetch_add(1, Ordering::SeqCst);
            if n < drops {
                drop(socket);
                continue;
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&body).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}"), count)
}

/// A client for a server without a token endpoint: API keys, whose first
/// request goes out without authentication (the server here accepts it).
fn client_for(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder().api_key(PUBLIC_KEY, PRIVATE_KEY).base_url(base_url).retry_policy(policy).build().expect("client")
}

async fn get(client: &Client) -> Result<(), Error<ApiError>> {
    client.v2025_03_12().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.map(drop)
}

async fn create(client: &Client) -> Result<(), Error<ApiError>> {
    let body = OrganizationInvitationRequest::default().with_username("carol@example.com");
    client.v2025_03_12().create_org_invite(&org(), &body, &CreateOrgInviteQuery::default()).await.map(drop)
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get() {
    let (url, count) = dropping_server(1).await;
    let client = client_for(&url, fast_retries());
    get(&client).await.expect("the retry succeeds");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_not_resent_for_a_post() {
    let (url, count) = dropping_server(1).await;
    let client = client_for(&url, fast_retries());
    let error = create(&client).await.expect_err("the POST may have been applied");
    assert!(error.is_transport(), "{error:?}");
    assert_eq!(error.body(), None, "nothing answered");
    assert!(error.to_string().starts_with("could not reach Atlas"), "{error}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "sent once");
    assert_redacted(&format!("{error} {error:?}"));

    let (url, count) = dropping_server(1).await;
    let client = client_for(&url, fast_retries().retry_non_idempotent(true));
    create(&client).await.expect("sent again when the caller opts in");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = client_for(&format!("http://{address}"), fast_retries().max_attempts(2));
    let error = create(&client).await.expect_err("nothing listens");
    match &error {
        Error::Transport(transport) => assert!(transport.is_connect(), "{transport:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(org_invitation()).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(PUBLIC_KEY, PRIVATE_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let started = Instant::now();
    let error = get(&client).await.expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_success_body_that_is_not_json_is_undecodable() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast_retries());
    let error = get(&client).await.expect_err("not JSON");
    match &error {
        Error::Undecodable(response) => {
            assert_eq!(response.status(), http::StatusCode::OK);
            assert_eq!(response.body(), b"<html>maintenance</html>");
        }
        other => panic!("expected an undecodable response, got {other:?}"),
    }
    assert!(error.to_string().contains("not the documented type"), "{error}");
}

#[tokio::test]
async fn an_error_status_without_an_atlas_body_is_an_unexpected_status() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast_retries());
    let error = create(&client).await.expect_err("502");
    match &error {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status(), http::StatusCode::BAD_GATEWAY);
            assert_eq!(response.body(), b"Bad Gateway");
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }
    assert_eq!(error.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert_eq!(error.error_code(), None);
    assert_eq!(error.body(), Some(&b"Bad Gateway"[..]));
}

#[tokio::test]
async fn an_atlas_error_body_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(400).insert_header("RateLimit-Remaining", "41").set_body_json(json!({
            "error": 400,
            "errorCode": "INVALID_ATTRIBUTE",
            "detail": "Invalid attribute username specified.",
            "reason": "Bad Request",
            "parameters": [{"attribute": "username"}],
            "badRequestDetail": {"fields": [{"field": "username", "description": "must be an email address"}]}
        })))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast_retries());
    let error = create(&client).await.expect_err("400");
    assert!(error.is_code("INVALID_ATTRIBUTE"));
    assert!(!error.is_code("RATE_LIMITED"));
    let api = error.api_error().expect("decoded");
    assert_eq!(api.status(), http::StatusCode::BAD_REQUEST);
    assert_eq!(api.error_code(), Some("INVALID_ATTRIBUTE"));
    assert_eq!(api.detail(), Some("Invalid attribute username specified."));
    assert_eq!(api.reason(), Some("Bad Request"));
    assert_eq!(api.parameters()[0]["attribute"], "username");
    assert_eq!(api.field_violations()[0].field, "username");
    assert_eq!(api.field_violations()[0].description, "must be an email address");
    // The operation's own error type, decoded as the spec types it.
    assert_eq!(api.error().error, 400);
    let typed = api.error().bad_request_detail.as_ref().and_then(|d| d.fields.as_ref()).expect("fields");
    assert_eq!(typed[0].field, "username");
    // Fields an operation's own error schema adds are in the body as received.
    let body: serde_json::Value = serde_json::from_slice(error.body().expect("a body")).expect("JSON");
    assert_eq!(body["badRequestDetail"]["fields"][0]["field"], "username");
    assert_eq!(error.rate_limit().and_then(|l| l.remaining), Some(41));
    let message = error.to_string();
    assert!(message.contains("INVALID_ATTRIBUTE") && message.contains("must be an email address"), "{message}");
}

#[tokio::test]
async fn an_unknown_role_is_kept_as_sent() {
    let server = MockServer::start().await;
    let mut invitation = org_invitation();
    invitation["roles"] = json!(["ORG_MEMBER", "ORG_QUANTUM_ADMIN"]);
    invitation["groupRoleAssignments"] = json!([{"groupId": GROUP, "groupRole": "GROUP_TIME_TRAVELLER"}]);
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([invitation])))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), fast_retries());
    let invitations =
        client.v2025_03_12().list_org_invites(&org(), &ListOrgInvitesQuery::default()).await.expect("decodes");
    let roles = invitations[0].roles.as_ref().expect("roles");
    assert_eq!(roles[0], OrgRole::OrgMember);
    assert!(matches!(&roles[1], OrgRole::Unknown(value) if value.as_str() == "ORG_QUANTUM_ADMIN"));
    assert_eq!(roles[1].to_string(), "ORG_QUANTUM_ADMIN");
    let assignment = &invitations[0].group_role_assignments.as_ref().expect("assignments")[0];
    assert_eq!(assignment.group_role.as_ref().map(ToString::to_string).as_deref(), Some("GROUP_TIME_TRAVELLER"));
}
