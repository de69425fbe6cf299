//! Building a client: base URLs (plain http only for loopback unless the
//! caller opts in), credentials, a caller's own `reqwest::Client`, and
//! secrets kept out of `Debug` and `Display`.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::time::Duration;

use atlas_admin_invitations::client::{BuildError, Client, DEFAULT_BASE_URL};
use atlas_admin_invitations::v2025_03_12::GetOrgInviteQuery;
use client_common::*;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn with_key() -> atlas_admin_invitations::client::ClientBuilder {
    Client::builder().api_key(PUBLIC_KEY, PRIVATE_KEY)
}

#[test]
fn the_default_base_url_is_atlas() {
    let client = with_key().build().expect("client");
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://cloud.mongodb.com");
    let gov = with_key().base_url("https://cloud.mongodbgov.com/").build().expect("client");
    assert_eq!(gov.base_url(), "https://cloud.mongodbgov.com");
}

#[test]
fn plain_http_is_refused_unless_loopback_or_opted_in() {
    let error = with_key().base_url("http://cloud.mongodb.com").build().expect_err("insecure");
    assert!(matches!(error, BuildError::InsecureBaseUrl { .. }), "{error:?}");
    assert!(error.to_string().contains("refusing plain http"), "{error}");
    for loopback in ["http://127.0.0.1:8080", "http://localhost:1234/", "http://[::1]:9000", "http://127.1.2.3"] {
        with_key().base_url(loopback).build().unwrap_or_else(|e| panic!("{loopback}: {e}"));
    }
    with_key().base_url("http://atlas.internal:8080").allow_insecure_http(true).build().expect("opted in");
}

#[test]
fn malformed_base_urls_are_refused() {
    for url in
        ["not a url", "ftp://cloud.mongodb.com", "https://cloud.mongodb.com/?x=1", "https://cloud.mongodb.com/#f"]
    {
        let error = with_key().base_url(url).build().expect_err(url);
        assert!(matches!(error, BuildError::InvalidBaseUrl { .. }), "{url}: {error:?}");
    }
    let error =
        with_key().base_url(format!("https://user:{PRIVATE_KEY}@cloud.mongodb.com")).build().expect_err("creds");
    assert_redacted(&format!("{error} {error:?}"));
}

#[test]
fn credentials_are_required_once() {
    let error = Client::builder().build().expect_err("none");
    assert!(matches!(error, BuildError::MissingCredentials), "{error:?}");
    assert!(error.to_string().contains("service_account"), "{error}");
    let both = Client::builder().service_account(CLIENT_ID, CLIENT_SECRET).api_key(PUBLIC_KEY, PRIVATE_KEY);
    let error = both.build().expect_err("both");
    assert!(matches!(error, BuildError::ConflictingCredentials), "{error:?}");
    let error = Client::builder().service_account(CLIENT_ID, "").build().expect_err("empty secret");
    assert!(matches!(error, BuildError::EmptyCredential("client secret")), "{error:?}");
}

#[test]
fn a_connect_timeout_cannot_apply_to_a_handed_in_client() {
    let error = with_key()
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .expect_err("conflict");
    assert!(matches!(error, BuildError::ConnectTimeoutWithCustomClient), "{error:?}");
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let builder = Client::builder().service_account(CLIENT_ID, CLIENT_SECRET);
    assert_redacted(&format!("{builder:?}"));
    let client = builder.build().expect("client");
    let rendering = format!("{client:?} {:?}", client.v2025_03_12());
    assert_redacted(&rendering);
    assert!(rendering.contains(CLIENT_ID), "the client id is not secret and helps: {rendering}");
    assert!(rendering.contains("[redacted]"), "{rendering}");

    let builder = Client::builder().api_key(PUBLIC_KEY, PRIVATE_KEY);
    assert_redacted(&format!("{builder:?}"));
    let client = builder.build().expect("client");
    assert_redacted(&format!("{client:?}"));
}

#[tokio::test]
async fn a_handed_in_reqwest_client_still_sends_the_media_types() {
    let server = MockServer::start().await;
    TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(org_invitation()))
        .mount(&server)
        .await;
    let client = service_account(&server).http_client(reqwest::Client::new()).build().expect("client");
    client.v2023_01_01().get_org_invite(&org(), &invitation(), &GetOrgInviteQuery::default()).await.expect("call");
    let request = api_requests(&server).await.pop().expect("a request");
    assert_eq!(header(&request, "accept").as_deref(), Some(MEDIA_TYPE));
    assert_eq!(header(&request, "authorization").as_deref(), Some("Bearer token-1"));
    assert!(header(&request, "user-agent").is_some_and(|ua| ua.starts_with("atlas-admin-invitations/")));
}
