//! The two ways to authenticate to Atlas: a service account (OAuth 2.0 client
//! credentials, bearer tokens) and an API key pair (HTTP Digest).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::error::{AuthError, Failure, TransportError};

/// A string that must not be shown: its `Debug` and `Display` print
/// `[redacted]`. Client secrets, private keys and access tokens are kept in one.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How long before `expires_in` runs out a token is replaced, at most.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Service-account authentication: fetches bearer tokens from the token
/// endpoint and keeps the current one until shortly before it expires.
pub(crate) struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    /// The current token. A tokio mutex, held across the fetch: callers that
    /// need a token while one is being fetched wait for it instead of
    /// fetching their own.
    token: tokio::sync::Mutex<Option<Token>>,
    /// Counts fetched tokens, so that a 401 only discards the token it was sent with.
    generation: AtomicU64,
}

#[derive(Clone)]
pub(crate) struct Token {
    /// `Bearer …`, marked sensitive so that `Debug` does not show it.
    pub(crate) header: http::HeaderValue,
    pub(crate) generation: u64,
    refresh_at: Instant,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    token_type: Option<String>,
}

#[derive(serde::Deserialize)]
struct TokenErrorResponse {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl ServiceAccount {
    pub(crate) fn new(client_id: String, client_secret: Secret, token_url: String) -> Self {
        ServiceAccount {
            client_id,
            client_secret,
            token_url,
            token: tokio::sync::Mutex::new(None),
            generation: AtomicU64::new(0),
        }
    }

    /// The current token, fetching a new one when there is none, it is about
    /// to expire, or it is the `rejected` generation (a 401 answered it).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
        rejected: Option<u64>,
    ) -> Result<Token, Failure> {
        let mut current = self.token.lock().await;
        if let Some(token) = current.as_ref() {
            if Instant::now() < token.refresh_at && Some(token.generation) != rejected {
                return Ok(token.clone());
            }
        }
        let token = self.fetch(http, timeout).await?;
        *current = Some(token.clone());
        Ok(token)
    }

    async fn fetch(&self, http: &reqwest::Client, timeout: Duration) -> Result<Token, Failure> {
        let response = http
            .post(self.token_url.as_str())
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(http::header::ACCEPT, "application/json")
            .body("grant_type=client_credentials")
            .timeout(timeout)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            let parsed = serde_json::from_slice::<TokenErrorResponse>(&body).ok();
            let (error, description) = parsed.map_or((None, None), |p| (p.error, p.error_description));
            return Err(Failure::Authentication(AuthError::TokenRejected { status, error, description }));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            // The message names the problem, never the body: it may hold a token.
            Failure::Authentication(AuthError::TokenUndecodable {
                status,
                reason: format!("not a token response ({e})"),
            })
        })?;
        if let Some(kind) = &parsed.token_type {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(Failure::Authentication(AuthError::TokenUndecodable {
                    status,
                    reason: format!("token type `{kind}` is not `Bearer`"),
                }));
            }
        }
        if parsed.access_token.is_empty() {
            return Err(Failure::Authentication(AuthError::TokenUndecodable {
                status,
                reason: "the access token is empty".to_owned(),
            }));
        }
        let Ok(mut header) = http::HeaderValue::try_from(format!("Bearer {}", parsed.access_token)) else {
            return Err(Failure::Authentication(AuthError::TokenUndecodable {
                status,
                reason: "the access token has characters a header cannot carry".to_owned(),
            }));
        };
        header.set_sensitive(true);
        // One hour is what Atlas issues; assume it when the answer does not say.
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        let margin = REFRESH_MARGIN.min(lifetime / 10);
        Ok(Token {
            header,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
            refresh_at: Instant::now() + lifetime - margin,
        })
    }
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

/// Whether a 401 answer to a bearer request means the token was not
/// accepted (expired or revoked), so a fresh token may succeed.
///
/// RFC 6750 says so with `WWW-Authenticate: Bearer error="invalid_token"`.
/// Atlas documents no other signal, and a 401 (unlike a 403) is about the
/// credentials, so a 401 that names no other cause counts as well.
pub(crate) fn bearer_rejected(headers: &http::HeaderMap) -> bool {
    let mut challenges = headers.get_all(http::header::WWW_AUTHENTICATE).iter().filter_map(|v| v.to_str().ok());
    challenges.all(|challenge| {
        let lower = challenge.to_ascii_lowercase();
        // `invalid_request` / `insufficient_scope` name causes a new token does not fix.
        !(lower.contains("invalid_request") || lower.contains("insufficient_scope"))
    })
}

/// API-key authentication with HTTP Digest: the public key is the user name,
/// the private key the password. The last challenge is kept, so later
/// requests answer it right away with a counted nonce (`nc`) instead of
/// paying for a 401 round trip each time.
pub(crate) struct ApiKey {
    public_key: String,
    private_key: Secret,
    challenge: std::sync::Mutex<Option<http_auth::digest::DigestClient>>,
}

/// The answer to a Digest challenge, ready to send.
pub(crate) struct DigestAnswer {
    pub(crate) header: String,
}

impl ApiKey {
    pub(crate) fn new(public_key: String, private_key: Secret) -> Self {
        ApiKey { public_key, private_key, challenge: std::sync::Mutex::new(None) }
    }

    /// Answers the kept challenge for this request, if there is one.
    pub(crate) fn answer_kept(&self, method: &http::Method, uri: &str, body: &[u8]) -> Option<DigestAnswer> {
        let mut kept = self.challenge.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let client = kept.as_mut()?;
        match self.respond(client, method, uri, body) {
            Ok(answer) => Some(answer),
            Err(_) => {
                // The nonce count ran out, say: forget it and let the server challenge again.
                *kept = None;
                None
            }
        }
    }

    /// Reads the Digest challenges of a 401 answer, keeps the best one
    /// (SHA-256 over MD5), and answers it for this request. Also reports
    /// whether the server said the previous nonce was stale.
    pub(crate) fn answer_challenge(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        method: &http::Method,
        uri: &str,
        body: &[u8],
    ) -> Result<(DigestAnswer, bool), AuthError> {
        let mut best: Option<http_auth::digest::DigestClient> = None;
        let mut problem = None;
        for value in headers.get_all(http::header::WWW_AUTHENTICATE) {
            let Ok(value) = value.to_str() else { continue };
            for challenge in http_auth::parser::ChallengeParser::new(value) {
                let challenge = match challenge {
                    Ok(challenge) => challenge,
                    Err(e) => {
                        problem = Some(format!("malformed WWW-Authenticate header ({e})"));
                        break;
                    }
                };
                if !challenge.scheme.eq_ignore_ascii_case("Digest") {
                    continue;
                }
                match http_auth::digest::DigestClient::try_from(&challenge) {
                    Ok(client) => {
                        let stronger = |c: &http_auth::digest::DigestClient| {
                            matches!(c.algorithm(), http_auth::digest::Algorithm::Sha256)
                        };
                        if best.as_ref().is_none_or(|b| !stronger(b) && stronger(&client)) {
                            best = Some(client);
                        }
                    }
                    Err(e) => problem = Some(format!("unsupported Digest challenge ({e})")),
                }
            }
        }
        let Some(mut client) = best else {
            let reason = problem.unwrap_or_else(|| "no `WWW-Authenticate: Digest` header".to_owned());
            return Err(AuthError::DigestChallenge { status, reason });
        };
        let stale = client.stale();
        let answer = self
            .respond(&mut client, method, uri, body)
            .map_err(|reason| AuthError::DigestChallenge { status, reason })?;
        *self.challenge.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(client);
        Ok((answer, stale))
    }

    fn respond(
        &self,
        client: &mut http_auth::digest::DigestClient,
        method: &http::Method,
        uri: &str,
        body: &[u8],
    ) -> Result<DigestAnswer, String> {
        let params = http_auth::PasswordParams {
            username: &self.public_key,
            password: self.private_key.expose(),
            uri,
            method: method.as_str(),
            body: Some(body),
        };
        client.respond(&params).map(|header| DigestAnswer { header })
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("public_key", &self.public_key)
            .field("private_key", &self.private_key)
            .finish_non_exhaustive()
    }
}

pub(crate) fn transport(error: reqwest::Error) -> Failure {
    if error.is_timeout() {
        Failure::Timeout(TransportError::new(error))
    } else {
        Failure::Transport(TransportError::new(error))
    }
}
