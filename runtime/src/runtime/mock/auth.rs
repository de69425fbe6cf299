//! Authentication as Atlas does it: the service-account token endpoint, and
//! a gate that answers 401 with a Digest challenge to any API request that
//! carries neither a token the mock issued nor a correct Digest answer for
//! the mock's API key (checked with the real algorithm, RFC 7616 with MD5).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use md5::Digest as _;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use super::expectation::atlas_error;
use super::{State, API_PRIVATE_KEY, API_PUBLIC_KEY, SERVICE_ACCOUNT_CLIENT_ID, SERVICE_ACCOUNT_CLIENT_SECRET};

const TOKEN_PATH: &str = "/api/oauth/token";
const REALM: &str = "MMS Public API";

/// Tokens issued and Digest nonces handed out.
#[derive(Default)]
pub(super) struct Credentials {
    issued: AtomicU64,
    tokens: Mutex<HashSet<String>>,
    /// Each live nonce, with the highest `nc` answered with it.
    nonces: Mutex<HashMap<String, u64>>,
}

impl Credentials {
    pub(super) fn issue_token(&self) -> String {
        let token = format!("mock-token-{}", self.issued.fetch_add(1, Ordering::SeqCst) + 1);
        State::lock(&self.tokens).insert(token.clone());
        token
    }

    fn new_nonce(&self) -> String {
        let nonce = format!("mock-nonce-{}", self.issued.fetch_add(1, Ordering::SeqCst) + 1);
        State::lock(&self.nonces).insert(nonce.clone(), 0);
        nonce
    }

    /// Whether a request carries a token the mock issued or a correct Digest
    /// answer with a fresh `nc`.
    fn accepts(&self, request: &Request) -> bool {
        let Some(authorization) = request.headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        if let Some(token) = authorization.strip_prefix("Bearer ") {
            return State::lock(&self.tokens).contains(token);
        }
        self.digest_answer_is_correct(request, authorization)
    }

    fn digest_answer_is_correct(&self, request: &Request, authorization: &str) -> bool {
        let Some(Ok(answer)) = http_auth::parser::ChallengeParser::new(authorization).next() else { return false };
        if !answer.scheme.eq_ignore_ascii_case("Digest") {
            return false;
        }
        let field = |name: &str| {
            answer.params.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.to_unescaped())
        };
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let (Some(username), Some(realm), Some(nonce), Some(uri), Some(qop), Some(nc), Some(cnonce), Some(response)) = (
            field("username"),
            field("realm"),
            field("nonce"),
            field("uri"),
            field("qop"),
            field("nc"),
            field("cnonce"),
            field("response"),
        ) else {
            return false;
        };
        let algorithm_is_md5 = field("algorithm").is_none_or(|algorithm| algorithm.eq_ignore_ascii_case("MD5"));
        if username != API_PUBLIC_KEY || realm != REALM || uri != target || qop != "auth" || !algorithm_is_md5 {
            return false;
        }
        let Ok(count) = u64::from_str_radix(&nc, 16) else { return false };
        let mut nonces = State::lock(&self.nonces);
        let Some(last) = nonces.get_mut(&nonce) else { return false };
        let ha1 = md5_hex(&format!("{API_PUBLIC_KEY}:{REALM}:{API_PRIVATE_KEY}"));
        let ha2 = md5_hex(&format!("{}:{target}", request.method));
        if count <= *last || response != md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")) {
            return false;
        }
        *last = count;
        true
    }
}

fn md5_hex(text: &str) -> String {
    md5::Md5::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `POST /api/oauth/token`: a bearer token for the mock's service account.
pub(super) fn token_endpoint(state: &Arc<State>) -> Mock {
    Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(TOKEN_PATH))
        .respond_with(TokenEndpoint(state.clone()))
        .with_priority(super::AUTHENTICATION)
        .named("the token endpoint")
}

struct TokenEndpoint(Arc<State>);

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{SERVICE_ACCOUNT_CLIENT_ID}:{SERVICE_ACCOUNT_CLIENT_SECRET}"));
        let authorization = request.headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        if authorization != Some(format!("Basic {basic}").as_str()) {
            return ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid_client"}));
        }
        if request.body != b"grant_type=client_credentials" {
            return ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "unsupported_grant_type"}));
        }
        let token = self.0.credentials.issue_token();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": token,
            "expires_in": 3600,
            "token_type": "Bearer"
        }))
    }
}

/// Answers every unauthenticated API request with a Digest challenge.
pub(super) fn gate(state: &Arc<State>) -> Mock {
    Mock::given(Unauthenticated(state.clone())).respond_with(Challenge(state.clone())).named("authentication")
}

struct Unauthenticated(Arc<State>);

impl wiremock::Match for Unauthenticated {
    fn matches(&self, request: &Request) -> bool {
        request.url.path() != TOKEN_PATH && !self.0.credentials.accepts(request)
    }
}

struct Challenge(Arc<State>);

impl Respond for Challenge {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let nonce = self.0.credentials.new_nonce();
        let challenge = format!(r#"Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm=MD5, qop="auth""#);
        atlas_error(401, None, "Unauthorized", "Authentication required: a bearer token or a Digest answer.")
            .insert_header(http::header::WWW_AUTHENTICATE.as_str(), challenge.as_str())
    }
}
