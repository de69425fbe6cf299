//! An async client for the Atlas Admin API (reqwest with rustls, on tokio),
//! behind the `client` cargo feature (on by default).
//!
//! It sends the requests the endpoint functions build, with authentication,
//! timeouts and retries, and decodes the answers. With a generated crate's
//! release module `atlas` (its own documentation has a compiled example):
//!
//! ```ignore
//! let client = Client::builder().service_account("mdb_sa_id_…", "mdb_sa_sk_…").build()?;
//! let invitations = client.send(atlas::list_org_invites(&org, &ListOrgInvitesQuery::default())).await?;
//! ```
//!
//! - **Releases.** [`Client::send`] sends what any endpoint function builds,
//!   with the media type of the release module it comes from, also through a
//!   `reqwest::Client` you hand in. A generated crate may also add an
//!   accessor per API release, with a method per operation of that release.
//! - **Service accounts** ([`ClientBuilder::service_account`], the method
//!   Atlas recommends): the client fetches a bearer token from
//!   `{base}/api/oauth/token`, shares it between concurrent calls, fetches
//!   a new one (once, for all waiting calls) shortly before it expires, and
//!   retries a call once with a new token when Atlas answers 401.
//! - **API keys** ([`ClientBuilder::api_key`]): HTTP Digest with the public key
//!   as user name. The client answers Atlas's challenge (MD5, or SHA-256 when
//!   offered), keeps it to answer later requests directly with a counted
//!   nonce, and answers again when Atlas says the nonce is stale.
//! - **Errors** are one [`Error`], generic over the endpoint's error type:
//!   an error body of that type is decoded into [`ApiErrorResponse`], and
//!   Atlas's common fields (`errorCode`, `detail`, …) are read from any error
//!   body, whatever its type. Rate-limit headers are on errors
//!   ([`Error::rate_limit`]) and, for the latest answer of any call, on
//!   [`Client::last_rate_limit`].
//! - **Retries** follow a [`RetryPolicy`]: 429 always, 5xx and lost
//!   connections only when sending again cannot apply a change twice.
//! - **Timeouts**: 10 s to connect and 60 s for a whole exchange by default.
//! - **Secrets** (client secret, private key, tokens) never show in `Debug`,
//!   `Display` or errors; plain `http://` base URLs are refused unless the
//!   host is loopback or [`ClientBuilder::allow_insecure_http`] says so.

mod auth;
mod error;
mod error_fields;
mod retry;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use crate::runtime::{Endpoint, RequestError, ResponseError, ResponseParser};

use auth::{transport, ApiKey, Secret, ServiceAccount};
use error::Failure;
use error_fields::ErrorFields;
// A generated crate re-exports these from its own `client` module, and may
// leave some unnamed.
#[allow(unused_imports)]
pub use error::{
    ApiErrorResponse, AuthError, BuildError, Error, RateLimit, TransportError, UndecodableResponse, UnexpectedResponse,
};
#[allow(unused_imports)]
pub use error_fields::FieldViolation;
#[allow(unused_imports)]
pub use retry::RetryPolicy;

/// Where Atlas is, unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time allowed for one exchange: sending a request and reading
/// the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the Atlas Admin API. Cheap to clone: clones share the
/// connection pool, the access token and the Digest nonce.
///
/// Build one with [`Client::builder`]; send what the endpoint functions
/// build with [`Client::send`], or through the per-release accessors a
/// generated crate may add.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// The base URL's path, without a trailing `/` (usually empty).
    base_path: String,
    credentials: Credentials,
    timeout: Duration,
    retry: RetryPolicy,
    last_rate_limit: Mutex<Option<RateLimit>>,
}

#[derive(Debug)]
enum Credentials {
    ServiceAccount(ServiceAccount),
    ApiKey(ApiKey),
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The rate-limit headers of the most recent answer from the API to this
    /// client or its clones, when it had any. With concurrent calls it is the
    /// latest answer of any of them; for one call's own values, see
    /// [`Error::rate_limit`].
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self.inner.last_rate_limit.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends the request of an endpoint function with authentication, retries
    /// and timeouts, and decodes the answer. Release accessors, where a
    /// generated crate has them, call this; call it yourself to send any
    /// endpoint you built, e.g. one pinned to a resource version.
    ///
    /// An error answer whose body is of the endpoint's error type `E` is
    /// [`Error::Api`]; any other is [`Error::UnexpectedStatus`]. Atlas's
    /// common error fields are read from either, so [`Error::error_code`]
    /// answers even where an operation that documents its own error type
    /// gets Atlas's usual body (on a 401, 404 or 429, say). The body is kept
    /// as received on every error.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send<T: DeserializeOwned, E: DeserializeOwned>(
        &self,
        endpoint: Result<Endpoint<T, E>, RequestError>,
    ) -> Result<T, Error<E>> {
        let (request, parser) = endpoint?.into_parts();
        let target = self.target(&request);
        let started = Instant::now();
        let policy = &self.inner.retry;
        let may_resend = retry::is_idempotent(request.method()) || policy.resends_non_idempotent();
        let mut attempt = 1;
        let outcome = loop {
            let outcome = self.exchange(&request, &target).await;
            let (retryable, retry_after) = match &outcome {
                Ok(answer) => match answer.status.as_u16() {
                    // Not applied: Atlas refused it before doing anything.
                    429 => (true, answer.rate_limit.retry_after),
                    502..=504 => (may_resend, answer.rate_limit.retry_after),
                    _ => (false, None),
                },
                // Nothing was sent when the connection could not be opened.
                Err(Failure::Transport(error)) => (error.is_connect() || may_resend, None),
                Err(Failure::Timeout(_)) => (may_resend, None),
                Err(Failure::Authentication(_)) => (false, None),
            };
            if !retryable || attempt >= policy.attempts() {
                break outcome;
            }
            let delay = policy.delay(attempt, retry_after);
            if started.elapsed() + delay > policy.elapsed_budget() {
                break outcome;
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        decode(outcome.map_err(Failure::into_error)?, parser)
    }

    /// The absolute URL of an endpoint's request (its URI is path and query),
    /// and the request target as the server sees it, for Digest's `uri`.
    fn target(&self, request: &http::Request<Vec<u8>>) -> Target {
        let path = request.uri().path_and_query().map_or("/", http::uri::PathAndQuery::as_str);
        Target { url: format!("{}{path}", self.inner.base_url), uri: format!("{}{path}", self.inner.base_path) }
    }

    /// Sends a request once, authenticated, and reads the whole answer.
    /// Authentication may take more than one round trip: a 401 asking for a
    /// new token or a Digest answer is handled here and not counted as a retry.
    async fn exchange(&self, request: &http::Request<Vec<u8>>, target: &Target) -> Result<Answer, Failure> {
        let inner = &*self.inner;
        match &inner.credentials {
            Credentials::ServiceAccount(account) => {
                let mut rejected = None;
                loop {
                    let token = account.token(&inner.http, inner.timeout, rejected).await?;
                    let answer = self.send_once(request, &target.url, Some(token.header.clone())).await?;
                    if answer.status == http::StatusCode::UNAUTHORIZED
                        && rejected.is_none()
                        && auth::bearer_rejected(&answer.headers)
                    {
                        // The token expired or was revoked: once, with a new one.
                        rejected = Some(token.generation);
                        continue;
                    }
                    return Ok(answer);
                }
            }
            Credentials::ApiKey(key) => {
                let uri = &target.uri;
                let (method, body) = (request.method(), request.body().as_slice());
                let kept = key.answer_kept(method, uri, body).map(|answer| answer.header);
                let mut answer = self.send_once(request, &target.url, kept.map(digest_header).transpose()?).await?;
                let mut answered = 0;
                while answer.status == http::StatusCode::UNAUTHORIZED {
                    let challenge = key.answer_challenge(answer.status, &answer.headers, method, uri, body);
                    let digest = match challenge {
                        // The first 401 asks for an answer (or a new one, for a kept nonce).
                        Ok((digest, _)) if answered == 0 => digest,
                        // After an answer, only a stale nonce is worth another.
                        Ok((digest, true)) if answered == 1 => digest,
                        Err(error) if answered == 0 => return Err(Failure::Authentication(error)),
                        _ => {
                            let ErrorFields { error_code, detail, .. } = ErrorFields::read(&answer.body, false);
                            return Err(Failure::Authentication(AuthError::DigestRejected {
                                status: answer.status,
                                error_code,
                                detail,
                            }));
                        }
                    };
                    answered += 1;
                    answer = self.send_once(request, &target.url, Some(digest_header(digest.header)?)).await?;
                }
                Ok(answer)
            }
        }
    }

    async fn send_once(
        &self,
        request: &http::Request<Vec<u8>>,
        url: &str,
        authorization: Option<http::HeaderValue>,
    ) -> Result<Answer, Failure> {
        let inner = &*self.inner;
        let mut builder = inner
            .http
            .request(request.method().clone(), url)
            .headers(request.headers().clone())
            .header(http::header::USER_AGENT, USER_AGENT)
            .timeout(inner.timeout);
        if let Some(authorization) = authorization {
            builder = builder.header(http::header::AUTHORIZATION, authorization);
        }
        if !request.body().is_empty() {
            builder = builder.body(request.body().clone());
        }
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        let rate_limit = RateLimit::from_headers(&headers);
        if !rate_limit.is_empty() {
            *inner.last_rate_limit.lock().unwrap_or_else(PoisonError::into_inner) = Some(rate_limit);
        }
        Ok(Answer { status, headers, body, rate_limit })
    }
}

/// One answer, read whole.
struct Answer {
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
    rate_limit: RateLimit,
}

/// Decodes the final answer of a call with the endpoint's parser.
fn decode<T: DeserializeOwned, E: DeserializeOwned>(
    answer: Answer,
    parser: ResponseParser<T, E>,
) -> Result<T, Error<E>> {
    let Answer { status, body, rate_limit, .. } = answer;
    match parser.parse(status, &body) {
        Ok(value) => Ok(value),
        Err(ResponseError::Api(response)) => {
            let fields = ErrorFields::read(&body, parser.envelope());
            Err(match response.error {
                Some(error) => Error::Api(Box::new(ApiErrorResponse { status, error, body, rate_limit, fields })),
                None => Error::UnexpectedStatus(Box::new(UnexpectedResponse { status, body, rate_limit, fields })),
            })
        }
        Err(ResponseError::Decode { source, .. }) => {
            Err(Error::Undecodable(Box::new(UndecodableResponse { status, body, rate_limit, source })))
        }
    }
}

/// A Digest `Authorization` value; not shown by `Debug`.
fn digest_header(value: String) -> Result<http::HeaderValue, Failure> {
    let mut header = http::HeaderValue::try_from(value).map_err(|_| {
        Failure::Authentication(AuthError::DigestChallenge {
            status: http::StatusCode::UNAUTHORIZED,
            reason: "the challenge cannot be answered in a header".to_owned(),
        })
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// Where one request goes.
struct Target {
    /// Base URL, path and query.
    url: String,
    /// Path (with the base URL's path) and query.
    uri: String,
}

/// Configures a [`Client`]. Every setting but the credentials has a default.
///
/// ```ignore
/// let client = Client::builder()
///     .api_key("public-key", "private-key")
///     .base_url("https://cloud.mongodbgov.com")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_attempts(6))
///     .build()?;
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    service_account: Option<(String, Secret)>,
    api_key: Option<(String, Secret)>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service_account", &self.service_account)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("http", &self.http.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// Authenticates as a service account (OAuth 2.0 client credentials), the
    /// method Atlas recommends.
    pub fn service_account(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.service_account = Some((client_id.into(), Secret::new(client_secret.into())));
        self
    }

    /// Authenticates with an API key pair over HTTP Digest.
    pub fn api_key(mut self, public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        self.api_key = Some((public_key.into(), Secret::new(private_key.into())));
        self
    }

    /// Where Atlas is; [`DEFAULT_BASE_URL`] unless set (Atlas for Government,
    /// proxies and tests use others). The token endpoint is
    /// `{base}/api/oauth/token`. Plain `http://` is refused unless the host is
    /// loopback (`localhost`, `127.0.0.0/8`, `[::1]`) or
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Accepts a plain `http://` base URL to any host. Credentials then cross
    /// the network unencrypted: only for networks you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sends through this `reqwest::Client` (its pool, proxy and TLS
    /// settings). The client still sets the media types, authentication and
    /// the per-request [`timeout`](Self::timeout) on every request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed to open a connection; [`DEFAULT_CONNECT_TIMEOUT`] unless
    /// set. Not applicable with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one exchange, from connecting to the end of the
    /// answer; [`DEFAULT_TIMEOUT`] unless set. Retries get a fresh allowance;
    /// the [`RetryPolicy`] bounds the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed calls are retried; [`RetryPolicy::default`] unless set.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError`] for missing or conflicting credentials, a base URL that
    /// is invalid or insecure, or an HTTP client that cannot be set up.
    pub fn build(self) -> Result<Client, BuildError> {
        let (base_url, base_path) =
            base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL), self.allow_insecure_http)?;
        let credentials = match (self.service_account, self.api_key) {
            (Some(_), Some(_)) => return Err(BuildError::ConflictingCredentials),
            (None, None) => return Err(BuildError::MissingCredentials),
            (Some((client_id, secret)), None) => {
                if client_id.is_empty() {
                    return Err(BuildError::EmptyCredential("client id"));
                }
                if secret.expose().is_empty() {
                    return Err(BuildError::EmptyCredential("client secret"));
                }
                let token_url = format!("{base_url}/api/oauth/token");
                Credentials::ServiceAccount(ServiceAccount::new(client_id, secret, token_url))
            }
            (None, Some((public_key, private_key))) => {
                if public_key.is_empty() {
                    return Err(BuildError::EmptyCredential("public key"));
                }
                if private_key.expose().is_empty() {
                    return Err(BuildError::EmptyCredential("private key"));
                }
                Credentials::ApiKey(ApiKey::new(public_key, private_key))
            }
        };
        let http = match self.http {
            Some(_) if self.connect_timeout.is_some() => return Err(BuildError::ConnectTimeoutWithCustomClient),
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                // A redirect would change the Digest `uri` and could carry a token elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_path,
                credentials,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry,
                last_rate_limit: Mutex::new(None),
            }),
        })
    }
}

/// Checks a base URL and splits off its path: `(url, path)`, both without a
/// trailing `/`.
fn base_url(given: &str, allow_insecure_http: bool) -> Result<(String, String), BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl { url: given.to_owned(), reason: reason.to_owned() };
    let url = reqwest::Url::parse(given).map_err(|e| invalid(&e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !url.host_str().is_some_and(is_loopback) && !allow_insecure_http {
                return Err(BuildError::InsecureBaseUrl { url: given.to_owned() });
            }
        }
        other => return Err(invalid(&format!("the scheme must be https or http, not `{other}`"))),
    }
    if !url.has_host() {
        return Err(invalid("there is no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials go through the builder, where they are kept out of logs and errors.
        return Err(BuildError::InvalidBaseUrl {
            url: "[a URL with credentials, not shown]".to_owned(),
            reason: "a base URL must not carry credentials; use service_account or api_key".to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or a fragment"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let origin = url.origin().ascii_serialization();
    Ok((format!("{origin}{path}"), path))
}

/// Whether a URL host (as `Url::host_str` gives it) is this machine.
fn is_loopback(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{RequestBuilder, SuccessBody};

    /// An operation's own error type, which Atlas's common error body is not.
    #[derive(Debug, serde::Deserialize)]
    struct QuotaError {
        quota: u32,
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: http::StatusCode::from_u16(status).expect("a status"),
            headers: http::HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            rate_limit: RateLimit::default(),
        }
    }

    fn endpoint<E>() -> Result<Endpoint<Vec<u32>, E>, RequestError> {
        RequestBuilder::new("getApi", http::Method::GET, "application/json")
            .literal("/api")
            .build(200, SuccessBody::Json)
    }

    fn parser<E>() -> ResponseParser<Vec<u32>, E> {
        endpoint().expect("an endpoint").parser()
    }

    #[test]
    fn an_error_body_of_the_endpoint_type_is_an_api_error_with_atlas_fields() {
        let body = r#"{"error": 429, "errorCode": "RATE_LIMITED", "detail": "slow down", "quota": 100}"#;
        let error = decode(answer(429, body), parser::<QuotaError>()).expect_err("an error");
        let Some(response) = error.api_error() else { panic!("not an API error: {error:?}") };
        assert_eq!(response.error().quota, 100);
        assert_eq!((response.detail(), response.reason()), (Some("slow down"), None));
        assert!(error.is_code("RATE_LIMITED"));
        assert_eq!(error.to_string(), "Atlas answered 429 Too Many Requests: RATE_LIMITED: slow down");

        let body = r#"{"errorCode": "INVALID", "detail": "d", "badRequestDetail": {"fields": [{"field": "username", "description": "bad"}]}}"#;
        let error = decode(answer(400, body), parser::<serde_json::Value>()).expect_err("an error");
        assert_eq!(error.to_string(), "Atlas answered 400 Bad Request: INVALID: d; username: bad");

        // Without Atlas's fields, the body is all there is to show.
        let error = decode(answer(403, r#"{"quota": 5}"#), parser::<QuotaError>()).expect_err("an error");
        assert_eq!(error.error_code(), None);
        assert_eq!(error.to_string(), r#"Atlas answered 403 Forbidden: {"quota": 5}"#);
    }

    #[test]
    fn atlas_error_bodies_of_another_type_still_have_their_code() {
        let body = r#"{"error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": "gone"}"#;
        let error = decode(answer(404, body), parser::<QuotaError>()).expect_err("an error");
        assert!(matches!(&error, Error::UnexpectedStatus(_)), "{error:?}");
        assert!(error.api_error().is_none());
        assert_eq!(error.error_code(), Some("RESOURCE_NOT_FOUND"));
        assert_eq!(error.body(), Some(body.as_bytes()));
        assert_eq!(error.to_string(), "Atlas answered 404 Not Found: RESOURCE_NOT_FOUND: gone");
    }

    #[test]
    fn bodies_that_are_not_atlas_errors_are_unexpected() {
        let error = decode(answer(502, "<html>Bad Gateway</html>"), parser::<serde_json::Value>()).expect_err("error");
        assert!(matches!(&error, Error::UnexpectedStatus(_)), "{error:?}");
        assert_eq!(error.error_code(), None);
        assert_eq!(
            error.to_string(),
            "Atlas answered 502 Bad Gateway without an Atlas error body: <html>Bad Gateway</html>"
        );
        let error = decode(answer(200, "{}"), parser::<QuotaError>()).expect_err("not a list");
        assert!(matches!(&error, Error::Undecodable(_)), "{error:?}");
    }

    #[test]
    fn a_client_is_configured_with_its_builder() {
        let client = Client::builder()
            .api_key("public-key", "private-key")
            .base_url("https://cloud.mongodbgov.com/")
            .timeout(Duration::from_secs(30))
            .retry_policy(RetryPolicy::default().max_attempts(6))
            .build()
            .expect("a valid configuration");
        assert_eq!(client.base_url(), "https://cloud.mongodbgov.com");
        assert!(!format!("{client:?}").contains("private-key"), "{client:?}");
        // Calls can be spawned on a multi-threaded runtime whatever the error type.
        fn is_send<F: std::future::Future + Send>(_: &F) {}
        is_send(&client.send(endpoint::<serde_json::Value>()));
    }
}
