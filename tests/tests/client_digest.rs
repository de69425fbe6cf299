//! API-key authentication with HTTP Digest against a server on loopback that
//! checks every answer with the real algorithm (RFC 7616, computed here with
//! `md-5` and `sha2`): the challenge, SHA-256 when offered, nonce counting,
//! a stale nonce, and a wrong key.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use atlas_admin_invitations::client::{AuthError, Client, Error};
use atlas_admin_invitations::models::OrganizationInvitationRequest;
use atlas_admin_invitations::v2025_03_12::{CreateOrgInviteQuery, ListOrgInvitesQuery};
use client_common::*;
use md5::Digest as _;
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const REALM: &str = "MMS Public API";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    fn hash(self, text: &str) -> String {
        let bytes = match self {
            Algorithm::Md5 => md5::Md5::digest(text.as_bytes()).to_vec(),
            Algorithm::Sha256 => sha2::Sha256::digest(text.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// `None` without an `Authorization` header.
    answer: Option<HashMap<String, String>>,
    /// Whether the answer checked out.
    valid: bool,
    body: Vec<u8>,
}

#[derive(Default)]
struct State {
    next_nonce: u32,
    /// Live nonces and the highest `nc` used with each.
    nonces: HashMap<String, u32>,
    /// Nonces the server has since declared stale.
    stale: Vec<String>,
    seen: Vec<Seen>,
}

/// A Digest-protected API: the user name and password it accepts, the
/// algorithms it offers (in header order), and what it saw.
struct DigestApi {
    password: &'static str,
    offers: Vec<Algorithm>,
    state: Arc<Mutex<State>>,
}

impl DigestApi {
    fn challenge(&self, state: &mut State, stale: bool) -> ResponseTemplate {
        state.next_nonce += 1;
        let nonce = format!("nonce-{}-{}", state.next_nonce, "x".repeat(8));
        state.nonces.insert(nonce.clone(), 0);
        let mut response = ResponseTemplate::new(401)
            .set_body_json(json!({"error": 401, "errorCode": "UNAUTHORIZED", "detail": "Authentication required."}));
        for algorithm in &self.offers {
            let stale = if stale { ", stale=true" } else { "" };
            let value = format!(
                r#"Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm={}, qop="auth"{stale}"#,
                algorithm.name()
            );
            response = response.append_header("WWW-Authenticate", value.as_str());
        }
        response
    }

    /// Checks an answer as a server does: known realm, user and nonce; `uri`
    /// equal to the request target; `nc` above the last one seen; response
    /// equal to H(H(A1):nonce:nc:cnonce:qop:H(A2)).
    fn verify(&self, state: &mut State, request: &Request, answer: &HashMap<String, String>) -> Result<(), String> {
        let field = |name: &str| answer.get(name).cloned().ok_or(format!("no `{name}`"));
        let algorithm = match field("algorithm")?.as_str() {
            "MD5" => Algorithm::Md5,
            "SHA-256" => Algorithm::Sha256,
            other => return Err(format!("algorithm {other}")),
        };
        if !self.offers.contains(&algorithm) {
            return Err(format!("{algorithm:?} was not offered"));
        }
        if field("username")? != PUBLIC_KEY || field("realm")? != REALM {
            return Err("user or realm".into());
        }
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        if field("uri")? != target {
            return Err(format!("uri {} for {target}", field("uri")?));
        }
        if field("qop")? != "auth" {
            return Err("qop".into());
        }
        let nonce = field("nonce")?;
        let nc_text = field("nc")?;
        let nc = u32::from_str_radix(&nc_text, 16).map_err(|e| e.to_string())?;
        let last = state.nonces.get_mut(&nonce).ok_or("unknown nonce")?;
        if nc <= *last {
            return Err(format!("nc {nc} replayed (last {last})"));
        }
        *last = nc;
        let cnonce = field("cnonce")?;
        let ha1 = algorithm.hash(&format!("{PUBLIC_KEY}:{REALM}:{}", self.password));
        let ha2 = algorithm.hash(&format!("{}:{target}", request.method));
        let expected = algorithm.hash(&format!("{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}"));
        if field("response")? != expected {
            return Err("wrong response".into());
        }
        Ok(())
    }
}

impl Respond for DigestApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().expect("lock");
        let answer = header(request, "authorization").map(|value| parse_answer(&value));
        let mut seen = Seen {
            method: request.method.to_string(),
            answer: answer.clone(),
            valid: false,
            body: request.body.clone(),
        };
        let response = match &answer {
            None => self.challenge(&mut state, false),
            Some(answer) => {
                let nonce = answer.get("nonce").cloned().unwrap_or_default();
                if state.stale.contains(&nonce) {
                    self.challenge(&mut state, true)
                } else {
                    match self.verify(&mut state, request, answer) {
                        Ok(()) => {
                            seen.valid = true;
                            let body = if request.method.as_str() == "GET" {
                                json!([org_invitation()])
                            } else {
                                org_invitation()
                            };
                            ResponseTemplate::new(200).set_body_json(body)
                        }
                        Err(_) => self.challenge(&mut state, false),
                    }
                }
            }
        };
        state.seen.push(seen);
        response
    }
}

/// `Digest k=v, k="v", …` → map (quotes removed).
fn parse_answer(value: &str) -> HashMap<String, String> {
    let rest = value.strip_prefix("Digest ").unwrap_or(value);
    let mut map = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            break;
        }
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            let mut value = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
            value
        } else {
            chars.by_ref().take_while(|c| *c != ',').collect::<String>().trim().to_owned()
        };
        map.insert(key.trim().to_owned(), value);
    }
    map
}

async fn digest_api(server: &MockServer, password: &'static str, offers: Vec<Algorithm>) -> Arc<Mutex<State>> {
    let state = Arc::new(Mutex::new(State::default()));
    let api = DigestApi { password, offers, state: state.clone() };
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/")).respond_with(api).mount(server).await;
    state
}

fn list_query() -> ListOrgInvitesQuery {
    ListOrgInvitesQuery::default().with_username("alice@example.com")
}

#[tokio::test]
async fn the_digest_challenge_is_answered_with_md5() {
    let server = MockServer::start().await;
    let state = digest_api(&server, PRIVATE_KEY, vec![Algorithm::Md5]).await;
    let client = api_key(&server).build().expect("client");
    let invitations = client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect("authenticated");
    assert_eq!(invitations.len(), 1);

    let state = state.lock().expect("lock");
    assert_eq!(state.seen.len(), 2, "challenge, then answer: {:?}", state.seen);
    assert!(state.seen[0].answer.is_none());
    let answer = state.seen[1].answer.as_ref().expect("an answer");
    assert!(state.seen[1].valid, "{answer:?}");
    assert_eq!(answer["algorithm"], "MD5");
    assert_eq!(answer["nc"], "00000001");
    assert_eq!(answer["uri"], format!("/api/atlas/v2/orgs/{ORG}/invites?username=alice%40example.com"));
}

#[tokio::test]
async fn the_nonce_is_kept_and_counted() {
    let server = MockServer::start().await;
    let state = digest_api(&server, PRIVATE_KEY, vec![Algorithm::Md5]).await;
    let client = api_key(&server).build().expect("client");
    for _ in 0..3 {
        client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect("authenticated");
    }
    let state = state.lock().expect("lock");
    // One challenge, then every request answers it directly with the next count.
    assert_eq!(state.seen.len(), 4, "{:?}", state.seen);
    let counts: Vec<&str> = state.seen[1..].iter().map(|s| s.answer.as_ref().expect("answer")["nc"].as_str()).collect();
    assert_eq!(counts, ["00000001", "00000002", "00000003"]);
    assert!(state.seen[1..].iter().all(|s| s.valid));
}

#[tokio::test]
async fn sha256_is_chosen_when_offered() {
    let server = MockServer::start().await;
    // Offered first as MD5, then SHA-256, in two headers: the stronger one wins.
    let state = digest_api(&server, PRIVATE_KEY, vec![Algorithm::Md5, Algorithm::Sha256]).await;
    let client = api_key(&server).build().expect("client");
    client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect("authenticated");
    let state = state.lock().expect("lock");
    let answer = state.seen[1].answer.as_ref().expect("an answer");
    assert_eq!(answer["algorithm"], "SHA-256");
    assert!(state.seen[1].valid);
}

#[tokio::test]
async fn a_stale_nonce_is_answered_again() {
    let server = MockServer::start().await;
    let state = digest_api(&server, PRIVATE_KEY, vec![Algorithm::Md5]).await;
    let client = api_key(&server).build().expect("client");
    client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect("authenticated");
    {
        let mut state = state.lock().expect("lock");
        let nonces: Vec<String> = state.nonces.keys().cloned().collect();
        state.stale.extend(nonces);
    }
    client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect("re-authenticated");
    let state = state.lock().expect("lock");
    // challenge, answer | kept nonce (stale), fresh answer
    assert_eq!(state.seen.len(), 4, "{:?}", state.seen);
    let stale = state.seen[2].answer.as_ref().expect("kept nonce");
    let fresh = state.seen[3].answer.as_ref().expect("fresh answer");
    assert_ne!(stale["nonce"], fresh["nonce"]);
    assert_eq!(fresh["nc"], "00000001");
    assert!(state.seen[3].valid);
}

#[tokio::test]
async fn a_post_body_goes_through_the_digest_exchange() {
    let server = MockServer::start().await;
    let state = digest_api(&server, PRIVATE_KEY, vec![Algorithm::Md5]).await;
    let client = api_key(&server).build().expect("client");
    let body: OrganizationInvitationRequest =
        serde_json::from_value(json!({"username": "carol@example.com", "roles": ["ORG_MEMBER"]})).expect("body");
    let created =
        client.v2025_03_12().create_org_invite(&org(), &body, &CreateOrgInviteQuery::default()).await.expect("created");
    assert_eq!(created.org_name, "Überweisung GmbH (EU)");
    let state = state.lock().expect("lock");
    // The unauthenticated POST was refused with 401 (not applied), then sent once with the answer.
    assert_eq!(state.seen.len(), 2);
    assert!(state.seen.iter().all(|s| s.method == "POST"));
    assert!(state.seen[1].valid);
    let sent: serde_json::Value = serde_json::from_slice(&state.seen[1].body).expect("JSON body");
    assert_eq!(sent, json!({"username": "carol@example.com", "roles": ["ORG_MEMBER"]}));
}

#[tokio::test]
async fn a_wrong_private_key_is_an_authentication_error() {
    let server = MockServer::start().await;
    let state = digest_api(&server, "the-right-key", vec![Algorithm::Md5]).await;
    let client = api_key(&server).build().expect("client");
    let error = client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect_err("wrong key");
    match &error {
        Error::Authentication(AuthError::DigestRejected { status, error_code, .. }) => {
            assert_eq!(*status, http::StatusCode::UNAUTHORIZED);
            assert_eq!(error_code.as_deref(), Some("UNAUTHORIZED"));
        }
        other => panic!("expected a rejected API key, got {other:?}"),
    }
    assert!(error.to_string().contains("check the public and private key"), "{error}");
    assert_redacted(&format!("{error} {error:?} {client:?}"));
    assert_eq!(state.lock().expect("lock").seen.len(), 2, "no loop of answers");
}

#[tokio::test]
async fn a_401_without_a_digest_challenge_is_an_authentication_error() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("^/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(401).insert_header("WWW-Authenticate", r#"Basic realm="x""#))
        .mount(&server)
        .await;
    let client: Client = api_key(&server).build().expect("client");
    let error = client.v2025_03_12().list_org_invites(&org(), &list_query()).await.expect_err("no digest");
    assert!(matches!(error, Error::Authentication(AuthError::DigestChallenge { .. })), "{error:?}");
    assert_redacted(&format!("{error} {error:?}"));
}
