//! Every (operation, release) pair through the async client, against a real
//! HTTP server on loopback: what the server receives (method, path, query,
//! `Accept`, `Content-Type`, body, bearer token) and the typed result.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::time::Duration;

use atlas_admin_invitations::client::Client;
use atlas_admin_invitations::models::{GroupInvitation, OrganizationInvitation};
use client_common::*;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers like Atlas: a list, one invitation, or 204 for a delete; wrapped
/// in `{status, content}` when the query asks for an envelope.
struct Atlas;

impl Respond for Atlas {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let org = path.contains("/orgs/");
        let one = if org { org_invitation() } else { group_invitation() };
        let (status, body) = match request.method.as_str() {
            "DELETE" => return ResponseTemplate::new(204),
            "GET" if path.ends_with("/invites") => (200, json!([one.clone(), one])),
            _ => (200, one),
        };
        let envelope = request.url.query_pairs().any(|(k, v)| k == "envelope" && v == "true");
        let body = if envelope { json!({"status": status, "content": body}) } else { body };
        ResponseTemplate::new(status).set_body_json(body)
    }
}

/// What one call should have sent.
struct Expected<'a> {
    method: &'a str,
    path: String,
    query: Option<&'a str>,
    body: Option<Value>,
}

fn check(received: &Request, expected: &Expected<'_>, sans_io: &http::Request<Vec<u8>>, what: &str) {
    assert_eq!(received.method.as_str(), expected.method, "{what}: method");
    assert_eq!(received.url.path(), expected.path, "{what}: path");
    assert_eq!(received.url.query(), expected.query, "{what}: query");
    assert_eq!(header(received, "accept").as_deref(), Some(MEDIA_TYPE), "{what}: Accept");
    assert_eq!(header(received, "authorization").as_deref(), Some("Bearer token-1"), "{what}: bearer token");
    match &expected.body {
        Some(body) => {
            assert_eq!(header(received, "content-type").as_deref(), Some(MEDIA_TYPE), "{what}: Content-Type");
            let sent: Value = serde_json::from_slice(&received.body).expect("a JSON body");
            assert_eq!(&sent, body, "{what}: body");
        }
        None => {
            assert_eq!(header(received, "content-type"), None, "{what}: no Content-Type without a body");
            assert!(received.body.is_empty(), "{what}: no body");
        }
    }
    // The client sends exactly what the sans-IO endpoint function builds.
    assert_eq!(received.method.as_str(), sans_io.method().as_str(), "{what}: as built");
    assert_eq!(received.url.path(), sans_io.uri().path(), "{what}: as built");
    assert_eq!(received.url.query(), sans_io.uri().query(), "{what}: as built");
    assert_eq!(received.body, *sans_io.body(), "{what}: as built");
    for name in ["accept", "content-type"] {
        let built = sans_io.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header(received, name).as_deref(), built, "{what}: {name} as built");
    }
}

/// Calls all twelve operations through `client.$release()` and checks each
/// against the server's record and the sans-IO function of `$module`.
macro_rules! every_operation {
    ($client:expr, $server:expr, $release:ident, $module:ident) => {{
        use atlas_admin_invitations::$module as m;
        let release = $client.$release();
        let server: &MockServer = $server;
        let what = |op: &str| format!("{} {op}", stringify!($release));
        let (org, group, invitation) = (org(), group(), invitation());
        let (org_body, org_update) = (org_invitation_request(), org_invitation_update());
        let (group_body, group_update) = (group_invitation_request(), group_invitation_update());
        let org_one: OrganizationInvitation = serde_json::from_value(org_invitation()).expect("model");
        let group_one: GroupInvitation = serde_json::from_value(group_invitation()).expect("model");
        let orgs = format!("/api/atlas/v2/orgs/{ORG}/invites");
        let groups = format!("/api/atlas/v2/groups/{GROUP}/invites");
        let last = || async { api_requests(server).await.pop().expect("a request") };

        // listOrgInvites
        let query = m::ListOrgInvitesQuery::default().with_pretty(true).with_username("a+b@example.com");
        let result = release.list_org_invites(&org, &query).await.expect("listOrgInvites");
        assert_eq!(result, vec![org_one.clone(), org_one.clone()]);
        let expected = Expected {
            method: "GET",
            path: orgs.clone(),
            query: Some("pretty=true&username=a%2Bb%40example.com"),
            body: None,
        };
        let built = m::list_org_invites(&org, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("listOrgInvites"));

        // createOrgInvite
        let query = m::CreateOrgInviteQuery::default();
        let result = release.create_org_invite(&org, &org_body, &query).await.expect("createOrgInvite");
        assert_eq!(result, org_one);
        let expected = Expected {
            method: "POST",
            path: orgs.clone(),
            query: None,
            body: Some(serde_json::to_value(&org_body).expect("json")),
        };
        let built = m::create_org_invite(&org, &org_body, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("createOrgInvite"));

        // updateOrgInvites
        let query = m::UpdateOrgInvitesQuery::default().with_pretty(false);
        let result = release.update_org_invites(&org, &org_body, &query).await.expect("updateOrgInvites");
        assert_eq!(result, org_one);
        let expected = Expected {
            method: "PATCH",
            path: orgs.clone(),
            query: Some("pretty=false"),
            body: Some(serde_json::to_value(&org_body).expect("json")),
        };
        let built = m::update_org_invites(&org, &org_body, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("updateOrgInvites"));

        // getOrgInvite
        let query = m::GetOrgInviteQuery::default();
        let result = release.get_org_invite(&org, &invitation, &query).await.expect("getOrgInvite");
        assert_eq!(result, org_one);
        let expected = Expected { method: "GET", path: format!("{orgs}/{INVITATION}"), query: None, body: None };
        let built = m::get_org_invite(&org, &invitation, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("getOrgInvite"));

        // updateOrgInviteById
        let query = m::UpdateOrgInviteByIdQuery::default();
        let result =
            release.update_org_invite_by_id(&org, &invitation, &org_update, &query).await.expect("updateOrgInviteById");
        assert_eq!(result, org_one);
        let expected = Expected {
            method: "PATCH",
            path: format!("{orgs}/{INVITATION}"),
            query: None,
            body: Some(json!({"roles": ["ORG_READ_ONLY"]})),
        };
        let built = m::update_org_invite_by_id(&org, &invitation, &org_update, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("updateOrgInviteById"));

        // deleteOrgInvite
        let query = m::DeleteOrgInviteQuery::default();
        release.delete_org_invite(&org, INVITATION, &query).await.expect("deleteOrgInvite");
        let expected = Expected { method: "DELETE", path: format!("{orgs}/{INVITATION}"), query: None, body: None };
        let built = m::delete_org_invite(&org, INVITATION, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("deleteOrgInvite"));

        // listGroupInvites
        let query = m::ListGroupInvitesQuery::default().with_username("bob@example.com");
        let result = release.list_group_invites(&group, &query).await.expect("listGroupInvites");
        assert_eq!(result, vec![group_one.clone(), group_one.clone()]);
        let expected =
            Expected { method: "GET", path: groups.clone(), query: Some("username=bob%40example.com"), body: None };
        let built = m::list_group_invites(&group, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("listGroupInvites"));

        // createGroupInvite
        let query = m::CreateGroupInviteQuery::default();
        let result = release.create_group_invite(&group, &group_body, &query).await.expect("createGroupInvite");
        assert_eq!(result, group_one);
        let expected = Expected {
            method: "POST",
            path: groups.clone(),
            query: None,
            body: Some(json!({"username": "dan@example.com", "roles": ["GROUP_OWNER"]})),
        };
        let built = m::create_group_invite(&group, &group_body, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("createGroupInvite"));

        // updateGroupInvites
        let query = m::UpdateGroupInvitesQuery::default();
        let result = release.update_group_invites(&group, &group_body, &query).await.expect("updateGroupInvites");
        assert_eq!(result, group_one);
        let expected = Expected {
            method: "PATCH",
            path: groups.clone(),
            query: None,
            body: Some(json!({"username": "dan@example.com", "roles": ["GROUP_OWNER"]})),
        };
        let built = m::update_group_invites(&group, &group_body, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("updateGroupInvites"));

        // getGroupInvite
        let query = m::GetGroupInviteQuery::default();
        let result = release.get_group_invite(&group, &invitation, &query).await.expect("getGroupInvite");
        assert_eq!(result, group_one);
        let expected = Expected { method: "GET", path: format!("{groups}/{INVITATION}"), query: None, body: None };
        let built = m::get_group_invite(&group, &invitation, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("getGroupInvite"));

        // updateGroupInviteById
        let query = m::UpdateGroupInviteByIdQuery::default();
        let result = release
            .update_group_invite_by_id(&group, &invitation, &group_update, &query)
            .await
            .expect("updateGroupInviteById");
        assert_eq!(result, group_one);
        let expected = Expected {
            method: "PATCH",
            path: format!("{groups}/{INVITATION}"),
            query: None,
            body: Some(json!({"roles": ["GROUP_CLUSTER_MANAGER"]})),
        };
        let built = m::update_group_invite_by_id(&group, &invitation, &group_update, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("updateGroupInviteById"));

        // deleteGroupInvite
        let query = m::DeleteGroupInviteQuery::default();
        release.delete_group_invite(&group, &invitation, &query).await.expect("deleteGroupInvite");
        let expected = Expected { method: "DELETE", path: format!("{groups}/{INVITATION}"), query: None, body: None };
        let built = m::delete_group_invite(&group, &invitation, &query).expect("built");
        check(&last().await, &expected, built.request(), &what("deleteGroupInvite"));

        12
    }};
}

#[tokio::test]
async fn every_operation_at_every_release() {
    let server = MockServer::start().await;
    let (issued, problems) = TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/")).respond_with(Atlas).mount(&server).await;
    let client = service_account(&server).build().expect("client");

    let mut calls = 0;
    calls += every_operation!(client, &server, v2023_01_01, v2023_01_01);
    calls += every_operation!(client, &server, v2023_02_01, v2023_02_01);
    calls += every_operation!(client, &server, v2023_10_01, v2023_10_01);
    calls += every_operation!(client, &server, v2023_11_15, v2023_11_15);
    calls += every_operation!(client, &server, v2024_05_30, v2024_05_30);
    calls += every_operation!(client, &server, v2024_08_05, v2024_08_05);
    calls += every_operation!(client, &server, v2024_10_23, v2024_10_23);
    calls += every_operation!(client, &server, v2024_11_13, v2024_11_13);
    calls += every_operation!(client, &server, v2025_02_19, v2025_02_19);
    calls += every_operation!(client, &server, v2025_03_12, v2025_03_12);
    calls += every_operation!(client, &server, latest, latest);

    assert_eq!(calls, 12 * 11);
    assert_eq!(api_requests(&server).await.len(), calls, "one request per call, no retries");
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 1, "one token for all calls");
    assert!(problems.lock().expect("lock").is_empty(), "{:?}", problems.lock().expect("lock"));
}

/// A server that answers like Atlas and hands out tokens, and a client of it.
async fn serving_atlas() -> (MockServer, Client) {
    let server = MockServer::start().await;
    TokenEndpoint::new(3600).mount(&server, Duration::ZERO).await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/")).respond_with(Atlas).mount(&server).await;
    let client = service_account(&server).build().expect("client");
    (server, client)
}

#[tokio::test]
async fn envelope_responses_decode_to_the_same_value() {
    use atlas_admin_invitations::v2025_03_12 as atlas;
    let (server, client) = serving_atlas().await;
    let release = client.v2025_03_12();

    let enveloped = atlas::GetOrgInviteQuery::default().with_envelope(true);
    let plain = atlas::GetOrgInviteQuery::default();
    let wrapped = release.get_org_invite(&org(), &invitation(), &enveloped).await.expect("enveloped");
    assert_eq!(api_requests(&server).await.pop().expect("request").url.query(), Some("envelope=true"));
    let bare = release.get_org_invite(&org(), &invitation(), &plain).await.expect("plain");
    assert_eq!(wrapped, bare);

    let list = atlas::ListGroupInvitesQuery::default().with_envelope(true);
    let invitations = release.list_group_invites(&group(), &list).await.expect("enveloped list");
    assert_eq!(invitations.len(), 2);
}

#[tokio::test]
async fn a_call_borrows_only_the_client() {
    use atlas_admin_invitations::v2025_03_12 as atlas;
    // The server stops when dropped: it is kept to the end of the test.
    let (_server, client) = serving_atlas().await;

    // The request is built when the method is called: the future keeps
    // neither the accessor nor the arguments, only the client.
    let pending = {
        let (org, query) = (org(), atlas::ListOrgInvitesQuery::default());
        client.v2025_03_12().list_org_invites(&org, &query)
    };
    assert_eq!(pending.await.expect("list").len(), 2);

    // So a call can run on another task while the caller moves on.
    let client = std::sync::Arc::new(client);
    let task = tokio::spawn({
        let client = client.clone();
        async move { client.latest().get_org_invite(&org(), &invitation(), &Default::default()).await }
    });
    let invitation = task.await.expect("the task ends").expect("get");
    assert_eq!(serde_json::to_value(&invitation).expect("encodes")["id"], org_invitation()["id"]);
}
