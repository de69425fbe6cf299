//! Contract tests: independent OpenAPI tools must agree with what we generate.
//!
//! - Stoplight Prism serves `spec/atlas-invitations.yaml` on 127.0.0.1 and
//!   validates every request against it. Every operation of every API release
//!   goes through the real client (service-account flow: a loopback front
//!   hands out the token and forwards the rest to Prism unchanged); Prism must
//!   accept each request (path, parameters, `Accept`, `Content-Type`, body),
//!   and each answer it builds from the spec must decode into the generated
//!   types. Requests that break the spec must be refused, so the check can fail.
//! - Spectral lints the spec with `tests/contract/.spectral.yaml`: no errors.
//!
//! The tools are the npm packages pinned in `tests/contract/package-lock.json`,
//! installed into `tests/contract/node_modules` on first use: Node.js and npm
//! must be on the PATH.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;
mod contract_tools;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;

use atlas_admin_invitations::client::{Client, Error, RetryPolicy};
use atlas_admin_invitations::models::ApiError;
use atlas_admin_invitations::{Endpoint, RequestError};
use client_common::*;
use contract_tools::{spec_path, spectral_lint, Exchange, Front, Prism};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::MockServer;

/// The spec as JSON: operations, their success status and example.
struct Spec(Value);

impl Spec {
    fn load() -> Spec {
        let text = std::fs::read_to_string(spec_path()).expect("spec");
        Spec(serde_yaml_ng::from_str(&text).expect("spec is YAML"))
    }

    fn operations(&self) -> impl Iterator<Item = &serde_json::Map<String, Value>> {
        let paths = self.0["paths"].as_object().expect("paths");
        paths.values().filter_map(Value::as_object).flat_map(|item| item.values().filter_map(Value::as_object))
    }

    fn operation_ids(&self) -> BTreeSet<String> {
        self.operations().filter_map(|op| op.get("operationId")?.as_str().map(str::to_owned)).collect()
    }

    /// The success response of an operation: status, media types, and the
    /// example Prism answers with (`null` when there is no body).
    fn success(&self, operation_id: &str) -> (u16, Vec<String>, Value) {
        let op = self
            .operations()
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
            .unwrap_or_else(|| panic!("{operation_id} is not in the spec"));
        let responses = op["responses"].as_object().expect("responses");
        let (status, response) =
            responses.iter().find(|(status, _)| status.starts_with('2')).expect("a success response");
        let content = response["content"].as_object().cloned().unwrap_or_default();
        let example = content.values().find_map(|media| media.get("example")).cloned().unwrap_or(Value::Null);
        (status.parse().expect("numeric status"), content.keys().cloned().collect(), example)
    }
}

/// The releases the client has an accessor for: every dated one, and `latest`.
fn releases() -> BTreeSet<String> {
    let text = std::fs::read_to_string(atlas_tests::repo_root().join("spec/versions.json")).expect("versions");
    let dates: Vec<String> = serde_json::from_str(&text).expect("a list of dates");
    dates.iter().map(|date| format!("v{}", date.replace('-', "_"))).chain(["latest".to_owned()]).collect()
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks one call: Prism got exactly the request the endpoint function
/// builds and accepted it, and the client decoded Prism's answer into the
/// typed value the spec's example describes.
struct Check<'a> {
    front: &'a Front,
    spec: &'a Spec,
    called: RefCell<BTreeSet<(String, String)>>,
}

impl Check<'_> {
    fn call<T: Serialize>(
        &self,
        release: &str,
        operation_id: &str,
        built: Result<Endpoint<T, ApiError>, RequestError>,
        result: Result<T, Error<ApiError>>,
    ) {
        let what = format!("{release} {operation_id}");
        let built = built.unwrap_or_else(|e| panic!("{what}: the endpoint function refused: {e}"));
        let built = built.request();
        let exchanges = self.front.take();
        let [exchange]: [Exchange; 1] = exchanges.try_into().unwrap_or_else(|all: Vec<Exchange>| {
            panic!("{what}: {} requests reached Prism, not one: {all:#?}", all.len())
        });

        // Prism accepted it: with `--errors`, a violation is an error status.
        assert!(
            exchange.status.is_success() && exchange.violations().is_none(),
            "{what}: Prism refused {} {}: {} {}\nviolations: {}\n{}",
            exchange.method,
            exchange.target,
            exchange.status,
            String::from_utf8_lossy(&exchange.response_body),
            exchange.violations().unwrap_or("none"),
            String::from_utf8_lossy(&exchange.request_body),
        );
        let (status, media_types, example) = self.spec.success(operation_id);
        assert_eq!(exchange.status.as_u16(), status, "{what}: the spec's success status");

        // What Prism accepted is what the endpoint function builds.
        assert_eq!(exchange.method, built.method(), "{what}: method");
        let built_target = built.uri().path_and_query().map(|t| t.as_str());
        assert_eq!(Some(exchange.target.as_str()), built_target, "{what}: path and query");
        for name in ["accept", "content-type"] {
            assert_eq!(
                header(&exchange.request_headers, name),
                header(built.headers(), name),
                "{what}: {name} as built"
            );
        }
        assert_eq!(exchange.request_body.as_ref(), built.body().as_slice(), "{what}: body as built");
        let accept = header(&exchange.request_headers, "accept").unwrap_or_default();
        assert!(media_types.iter().any(|m| m == accept), "{what}: Accept {accept} is not in {media_types:?}");
        let authorization = header(&exchange.request_headers, "authorization");
        assert_eq!(authorization, Some("Bearer token-1"), "{what}: the service account's token");

        // Prism's answer, built from the spec, decodes into the generated type
        // and keeps everything the example says.
        let value = result.unwrap_or_else(|e| {
            let body = String::from_utf8_lossy(&exchange.response_body);
            panic!("{what}: the client did not decode Prism's {} answer: {e}\n{body}", exchange.status)
        });
        assert_eq!(serde_json::to_value(&value).expect("serializable"), example, "{what}: typed result");

        let first = self.called.borrow_mut().insert((release.to_owned(), operation_id.to_owned()));
        assert!(first, "{what} called twice");
    }
}

/// Calls all twelve operations through `client.$release()`, with query
/// parameters set here and there so that Prism validates them too.
macro_rules! every_operation {
    ($client:expr, $check:expr, $release:ident) => {{
        use atlas_admin_invitations::$release as m;
        let release = $client.$release();
        let check: &Check<'_> = $check;
        let at = stringify!($release);
        let (org, group, invitation) = (org(), group(), invitation());
        let (org_body, org_update) = (org_invitation_request(), org_invitation_update());
        let (group_body, group_update) = (group_invitation_request(), group_invitation_update());

        let q =
            m::ListOrgInvitesQuery::default().with_envelope(false).with_pretty(true).with_username("a+b@example.com");
        check.call(at, "listOrgInvites", m::list_org_invites(&org, &q), release.list_org_invites(&org, &q).await);

        let q = m::CreateOrgInviteQuery::default().with_pretty(false);
        let result = release.create_org_invite(&org, &org_body, &q).await;
        check.call(at, "createOrgInvite", m::create_org_invite(&org, &org_body, &q), result);

        let q = m::UpdateOrgInvitesQuery::default();
        let result = release.update_org_invites(&org, &org_body, &q).await;
        check.call(at, "updateOrgInvites", m::update_org_invites(&org, &org_body, &q), result);

        let q = m::GetOrgInviteQuery::default().with_envelope(false);
        let result = release.get_org_invite(&org, &invitation, &q).await;
        check.call(at, "getOrgInvite", m::get_org_invite(&org, &invitation, &q), result);

        let q = m::UpdateOrgInviteByIdQuery::default().with_pretty(true);
        let result = release.update_org_invite_by_id(&org, &invitation, &org_update, &q).await;
        check.call(at, "updateOrgInviteById", m::update_org_invite_by_id(&org, &invitation, &org_update, &q), result);

        let q = m::DeleteOrgInviteQuery::default();
        let result = release.delete_org_invite(&org, INVITATION, &q).await;
        check.call(at, "deleteOrgInvite", m::delete_org_invite(&org, INVITATION, &q), result);

        let q = m::ListGroupInvitesQuery::default().with_username("bob@example.com");
        let result = release.list_group_invites(&group, &q).await;
        check.call(at, "listGroupInvites", m::list_group_invites(&group, &q), result);

        let q = m::CreateGroupInviteQuery::default();
        let result = release.create_group_invite(&group, &group_body, &q).await;
        check.call(at, "createGroupInvite", m::create_group_invite(&group, &group_body, &q), result);

        let q = m::UpdateGroupInvitesQuery::default().with_pretty(true);
        let result = release.update_group_invites(&group, &group_body, &q).await;
        check.call(at, "updateGroupInvites", m::update_group_invites(&group, &group_body, &q), result);

        let q = m::GetGroupInviteQuery::default();
        let result = release.get_group_invite(&group, &invitation, &q).await;
        check.call(at, "getGroupInvite", m::get_group_invite(&group, &invitation, &q), result);

        let q = m::UpdateGroupInviteByIdQuery::default().with_envelope(false);
        let result = release.update_group_invite_by_id(&group, &invitation, &group_update, &q).await;
        let built = m::update_group_invite_by_id(&group, &invitation, &group_update, &q);
        check.call(at, "updateGroupInviteById", built, result);

        let q = m::DeleteGroupInviteQuery::default();
        let result = release.delete_group_invite(&group, &invitation, &q).await;
        check.call(at, "deleteGroupInvite", m::delete_group_invite(&group, &invitation, &q), result);
    }};
}

#[tokio::test]
async fn prism_accepts_every_operation_at_every_release() {
    let prism = Prism::start().await;
    let token_server = MockServer::start().await;
    let (issued, problems) = TokenEndpoint::new(3600).mount(&token_server, Duration::ZERO).await;
    let front = Front::start(prism.url(), token_server.uri()).await;
    let client = Client::builder()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .base_url(front.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let spec = Spec::load();
    let check = Check { front: &front, spec: &spec, called: RefCell::default() };

    every_operation!(client, &check, v2023_01_01);
    every_operation!(client, &check, v2023_02_01);
    every_operation!(client, &check, v2023_10_01);
    every_operation!(client, &check, v2023_11_15);
    every_operation!(client, &check, v2024_05_30);
    every_operation!(client, &check, v2024_08_05);
    every_operation!(client, &check, v2024_10_23);
    every_operation!(client, &check, v2024_11_13);
    every_operation!(client, &check, v2025_02_19);
    every_operation!(client, &check, v2025_03_12);
    every_operation!(client, &check, latest);

    // Every operation of the spec at every release the client offers.
    let called = check.called.into_inner();
    let expected: BTreeSet<(String, String)> = releases()
        .into_iter()
        .flat_map(|release| spec.operation_ids().into_iter().map(move |op| (release.clone(), op)))
        .collect();
    assert_eq!(called, expected, "operations and releases driven");
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 1, "one token for all calls");
    assert!(problems.lock().expect("lock").is_empty(), "{:?}", problems.lock().expect("lock"));
}

/// Sends a request as it is, with a bearer token unless it has an
/// `Authorization` already or `authorize` is false.
async fn send(prism: &Prism, request: &http::Request<Vec<u8>>, authorize: bool) -> (u16, http::HeaderMap, String) {
    let http = reqwest::Client::builder().no_proxy().build().expect("HTTP client");
    let target = request.uri().path_and_query().map_or("/", |t| t.as_str());
    let mut headers = request.headers().clone();
    if authorize && !headers.contains_key(http::header::AUTHORIZATION) {
        headers.insert(http::header::AUTHORIZATION, http::HeaderValue::from_static("Bearer token-1"));
    }
    let response = http
        .request(request.method().clone(), format!("{}{target}", prism.url()))
        .headers(headers)
        .body(request.body().clone())
        .send()
        .await
        .unwrap_or_else(|e| panic!("Prism did not answer: {e}\n{}", prism.log()));
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.text().await.expect("body"))
}

/// Prism's violations of a refused request, as JSON.
fn violations(headers: &http::HeaderMap) -> Vec<Value> {
    let text = header(headers, "sl-violations").expect("an sl-violations header");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("sl-violations is not JSON ({e}): {text}"))
}

/// Rebuilds a request with another path and query.
fn with_target(request: &http::Request<Vec<u8>>, target: &str) -> http::Request<Vec<u8>> {
    let mut changed = http::Request::new(request.body().clone());
    *changed.method_mut() = request.method().clone();
    *changed.headers_mut() = request.headers().clone();
    *changed.uri_mut() = target.parse().expect("a request target");
    changed
}

#[tokio::test]
async fn prism_refuses_requests_that_break_the_spec() {
    use atlas_admin_invitations::v2025_03_12 as m;
    let prism = Prism::start().await;

    // The control: the endpoint function's own request passes.
    let get = m::get_org_invite(&org(), &invitation(), &m::GetOrgInviteQuery::default()).expect("built");
    let (status, headers, body) = send(&prism, get.request(), true).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&headers, "sl-violations"), None);

    // A malformed organization id (the typed id cannot hold one, so the path
    // is altered): upper-case hex breaks `^([a-f0-9]{24})$`.
    let path = get.request().uri().path().replace(ORG, &ORG.to_uppercase());
    assert_ne!(path, get.request().uri().path());
    let (status, headers, body) = send(&prism, &with_target(get.request(), &path), true).await;
    assert_eq!(status, 400, "a malformed orgId: {body}");
    let found = violations(&headers);
    assert!(
        found.iter().any(|v| v["location"] == json!(["request", "path", "orgid"]) && v["code"] == "pattern"),
        "the violation names orgId and its pattern: {found:?}"
    );

    // A body of the wrong type: `roles` is a list of roles, not one role.
    let create =
        m::create_org_invite(&org(), &org_invitation_request(), &m::CreateOrgInviteQuery::default()).expect("built");
    let mut wrong = create.request().clone();
    *wrong.body_mut() = serde_json::to_vec(&json!({"roles": "ORG_OWNER"})).expect("json");
    let (status, headers, body) = send(&prism, &wrong, true).await;
    assert_eq!(status, 400, "a body of the wrong type: {body}");
    let found = violations(&headers);
    assert!(
        found.iter().any(|v| v["location"] == json!(["request", "body", "roles"]) && v["code"] == "type"),
        "the violation names the body's roles and their type: {found:?}"
    );
    // An unknown role is refused too: the enum is the spec's.
    *wrong.body_mut() = serde_json::to_vec(&json!({"roles": ["ORG_EMPEROR"]})).expect("json");
    let (status, headers, body) = send(&prism, &wrong, true).await;
    assert_eq!(status, 400, "an unknown role: {body}");
    let found = violations(&headers);
    assert!(found.iter().any(|v| v["code"] == "enum"), "the violation names the enum: {found:?}");

    // A media type the operation does not have: the release date instead of
    // the resource version.
    let mut wrong = get.request().clone();
    let release_media_type = http::HeaderValue::from_static("application/vnd.atlas.2025-03-12+json");
    wrong.headers_mut().insert(http::header::ACCEPT, release_media_type);
    let (status, _, body) = send(&prism, &wrong, true).await;
    assert_eq!(status, 406, "an Accept the operation does not declare: {body}");

    // No credentials.
    let (status, _, body) = send(&prism, get.request(), false).await;
    assert_eq!(status, 401, "no Authorization: {body}");
}

#[test]
fn spectral_finds_no_errors_in_the_spec() {
    let findings = spectral_lint(&spec_path());
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == 0).collect();
    assert!(errors.is_empty(), "Spectral errors in spec/atlas-invitations.yaml: {errors:#?}");
    for finding in &findings {
        eprintln!("spectral: line {}: {} {} ({})", finding.line, finding.code, finding.message, finding.path);
    }
}

#[test]
fn spectral_reports_an_error_in_a_broken_spec() {
    // The same spec without `info.version`, which OpenAPI requires.
    let text = std::fs::read_to_string(spec_path()).expect("spec");
    let broken = text.replacen("\n  version: \"2.0\"\n", "\n", 1);
    assert_ne!(broken, text, "the spec's info.version line moved; update this test");
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("broken-spec-{}.yaml", std::process::id()));
    std::fs::write(&path, broken).expect("write the broken spec");
    let findings = spectral_lint(&path);
    assert!(
        findings.iter().any(|f| f.severity == 0 && f.code == "oas3-schema" && f.message.contains("version")),
        "Spectral should report the missing info.version: {findings:#?}"
    );
}
