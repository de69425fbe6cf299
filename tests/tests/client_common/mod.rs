//! Shared by the `client_*` and `contract` suites: ids, request and response
//! bodies, token endpoint and client set-up against a wiremock server on
//! 127.0.0.1.
#![allow(dead_code)] // each suite uses a different part

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin_invitations::client::{Client, ClientBuilder, RetryPolicy};
use atlas_admin_invitations::ids::{GroupId, InvitationId, OrgId};
use atlas_admin_invitations::models::{
    GroupInvitationRequest, GroupInvitationUpdateRequest, OrganizationInvitationRequest,
    OrganizationInvitationUpdateRequest,
};
use base64::Engine as _;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const ORG: &str = "32b6e34b3d91647abb20e7b8";
pub const GROUP: &str = "5f8b3c2a1e4d5b6c7a8b9c0d";
pub const INVITATION: &str = "6a1b2c3d4e5f60718293a4b5";

pub const CLIENT_ID: &str = "mdb_sa_id_6620e2a8c0ffee";
pub const CLIENT_SECRET: &str = "mdb_sa_sk_s3cr3t-never-shown";
pub const PUBLIC_KEY: &str = "wxyzpubl";
pub const PRIVATE_KEY: &str = "0f1e2d3c-private-key-never-shown";

pub const TOKEN_PATH: &str = "/api/oauth/token";
pub const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

pub fn org() -> OrgId {
    OrgId::new(ORG).expect("valid org id")
}

pub fn group() -> GroupId {
    GroupId::new(GROUP).expect("valid group id")
}

pub fn invitation() -> InvitationId {
    InvitationId::new(INVITATION).expect("valid invitation id")
}

/// An organization invitation as Atlas sends it.
pub fn org_invitation() -> Value {
    json!({
        "id": INVITATION,
        "orgId": ORG,
        "orgName": "Überweisung GmbH (EU)",
        "username": "alice@example.com",
        "inviterUsername": "owner@example.com",
        "roles": ["ORG_MEMBER"],
        "groupRoleAssignments": [{"groupId": GROUP, "groupRole": "GROUP_READ_ONLY"}],
        "teamIds": [],
        "createdAt": "2025-03-01T10:00:00Z",
        "expiresAt": "2025-04-01T10:00:00Z",
        "links": [{"href": "https://cloud.mongodb.com/api/atlas", "rel": "self"}]
    })
}

/// A project invitation as Atlas sends it.
pub fn group_invitation() -> Value {
    json!({
        "id": INVITATION,
        "groupId": GROUP,
        "groupName": "Payments",
        "username": "bob@example.com",
        "inviterUsername": "owner@example.com",
        "roles": ["GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_WRITE"],
        "createdAt": "2025-03-01T10:00:00Z",
        "expiresAt": "2025-04-01T10:00:00Z"
    })
}

/// The body the suites send to invite a user to an organization (create and
/// update by username).
pub fn org_invitation_request() -> OrganizationInvitationRequest {
    serde_json::from_value(json!({
        "username": "carol@example.com",
        "roles": ["ORG_MEMBER"],
        "groupRoleAssignments": [{"groupId": GROUP, "roles": ["GROUP_READ_ONLY"]}],
        "teamIds": []
    }))
    .expect("request body")
}

/// The body the suites send to change an organization invitation by id.
pub fn org_invitation_update() -> OrganizationInvitationUpdateRequest {
    serde_json::from_value(json!({"roles": ["ORG_READ_ONLY"]})).expect("request body")
}

/// The body the suites send to invite a user to a project (create and update
/// by username).
pub fn group_invitation_request() -> GroupInvitationRequest {
    serde_json::from_value(json!({"username": "dan@example.com", "roles": ["GROUP_OWNER"]})).expect("request body")
}

/// The body the suites send to change a project invitation by id.
pub fn group_invitation_update() -> GroupInvitationUpdateRequest {
    serde_json::from_value(json!({"roles": ["GROUP_CLUSTER_MANAGER"]})).expect("request body")
}

/// An Atlas error body.
pub fn api_error(status: u16, code: &str, detail: &str) -> Value {
    json!({"error": status, "errorCode": code, "detail": detail, "reason": "Some Reason", "parameters": []})
}

/// Retries that wait milliseconds, not seconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
        .max_elapsed(Duration::from_secs(5))
}

pub fn service_account(server: &MockServer) -> ClientBuilder {
    Client::builder().service_account(CLIENT_ID, CLIENT_SECRET).base_url(server.uri()).retry_policy(fast_retries())
}

pub fn api_key(server: &MockServer) -> ClientBuilder {
    Client::builder().api_key(PUBLIC_KEY, PRIVATE_KEY).base_url(server.uri()).retry_policy(fast_retries())
}

/// The token endpoint: checks the client-credentials request and hands out
/// `token-1`, `token-2`, … each valid for `expires_in` seconds.
pub struct TokenEndpoint {
    pub issued: Arc<AtomicUsize>,
    pub expires_in: u64,
    pub problems: Arc<Mutex<Vec<String>>>,
}

impl TokenEndpoint {
    pub fn new(expires_in: u64) -> Self {
        TokenEndpoint { issued: Arc::default(), expires_in, problems: Arc::default() }
    }

    /// Mounts it, answering after `delay` (to make concurrent callers overlap).
    pub async fn mount(self, server: &MockServer, delay: Duration) -> (Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
        let issued = self.issued.clone();
        let problems = self.problems.clone();
        Mock::given(wiremock::matchers::path(TOKEN_PATH)).respond_with(Delayed(self, delay)).mount(server).await;
        (issued, problems)
    }
}

struct Delayed(TokenEndpoint, Duration);

impl Respond for Delayed {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request).set_delay(self.1)
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut problems = Vec::new();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
        if header(request, "authorization").as_deref() != Some(format!("Basic {basic}").as_str()) {
            problems.push(format!("authorization: {:?}", header(request, "authorization")));
        }
        if header(request, "content-type").as_deref() != Some("application/x-www-form-urlencoded") {
            problems.push(format!("content-type: {:?}", header(request, "content-type")));
        }
        if request.body != b"grant_type=client_credentials" {
            problems.push(format!("body: {}", String::from_utf8_lossy(&request.body)));
        }
        if request.method.as_str() != "POST" {
            problems.push(format!("method: {}", request.method));
        }
        if !problems.is_empty() {
            self.problems.lock().expect("lock").extend(problems);
            return ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_request"}));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("token-{n}"),
            "expires_in": self.expires_in,
            "token_type": "Bearer"
        }))
    }
}

/// A request header as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The API requests the server received (the token endpoint's left out).
pub async fn api_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.expect("request recording is on");
    all.into_iter().filter(|r| r.url.path() != TOKEN_PATH).collect()
}

/// Asserts that no secret shows in a rendering of something.
pub fn assert_redacted(rendering: &str) {
    for secret in [CLIENT_SECRET, PRIVATE_KEY, "token-1", "token-2"] {
        assert!(!rendering.contains(secret), "`{secret}` shows in: {rendering}");
    }
}
