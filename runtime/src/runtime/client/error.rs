//! What can go wrong when calling Atlas, as one [`Error`] type, and the
//! rate-limit information that responses carry.

use std::fmt;
use std::time::Duration;

use super::error_fields::{ErrorFields, FieldViolation};
use crate::runtime::RequestError;

/// How much of a response body error messages show; the whole body stays
/// available through the accessors.
const SHOWN: usize = 300;

/// Why an API call failed; `E` is the error type the endpoint documents.
///
/// Every variant that came with an HTTP response keeps its status, the body
/// as received and the [`RateLimit`] headers. The helpers on `Error` answer
/// the common questions without a `match`: [`Error::status`],
/// [`Error::is_code`], [`Error::rate_limit`], [`Error::retry_after`].
///
/// No variant, and no `Display` or `Debug` output, contains a client secret,
/// a private API key or an access token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built (its body could not be encoded as JSON).
    Request(RequestError),
    /// Atlas could not be reached, or the connection failed before a complete
    /// response arrived.
    Transport(TransportError),
    /// No complete response arrived within the configured timeout.
    Timeout(TransportError),
    /// The client could not authenticate: the token endpoint refused the
    /// service account, or the Digest exchange for an API key failed.
    Authentication(AuthError),
    /// Atlas answered with an error status and a body of the endpoint's
    /// error type `E`.
    Api(Box<ApiErrorResponse<E>>),
    /// A success status whose body is not the documented type.
    Undecodable(Box<UndecodableResponse>),
    /// An error status whose body is not of the endpoint's error type: a
    /// proxy's HTML page, say, or Atlas's common error body where the
    /// endpoint documents another type (its `errorCode` is still read).
    UnexpectedStatus(Box<UnexpectedResponse>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(response) => Some(response.status),
            Error::Undecodable(response) => Some(response.status),
            Error::UnexpectedStatus(response) => Some(response.status),
            Error::Authentication(error) => error.status(),
            Error::Request(_) | Error::Transport(_) | Error::Timeout(_) => None,
        }
    }

    /// The body of the answer as received, when there was an answer: for
    /// `serde_json::from_slice` into a type the endpoint does not document.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(response) => Some(&response.body),
            Error::Undecodable(response) => Some(&response.body),
            Error::UnexpectedStatus(response) => Some(&response.body),
            Error::Authentication(_) | Error::Request(_) | Error::Transport(_) | Error::Timeout(_) => None,
        }
    }

    /// The error answer, when its body is of the endpoint's error type.
    pub fn api_error(&self) -> Option<&ApiErrorResponse<E>> {
        match self {
            Error::Api(response) => Some(response),
            _ => None,
        }
    }

    /// The Atlas `errorCode`, when an error answer's body has one, whether or
    /// not the body is of the endpoint's error type.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api(response) => response.error_code(),
            Error::UnexpectedStatus(response) => response.error_code(),
            _ => None,
        }
    }

    /// Whether Atlas answered with this `errorCode`, e.g. `is_code("RATE_LIMITED")`.
    pub fn is_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The `RateLimit-Limit` / `RateLimit-Remaining` / `Retry-After` headers
    /// of the response, when there was one.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Error::Api(response) => Some(&response.rate_limit),
            Error::Undecodable(response) => Some(&response.rate_limit),
            Error::UnexpectedStatus(response) => Some(&response.rate_limit),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.rate_limit().and_then(|limit| limit.retry_after)
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether the call failed in the network, without a response.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// Whether the client could not authenticate.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Error::Authentication(_))
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request(error) => write!(f, "{error}"),
            Error::Transport(error) => write!(f, "could not reach Atlas: {error}"),
            Error::Timeout(error) => write!(f, "Atlas did not answer in time: {error}"),
            Error::Authentication(error) => write!(f, "{error}"),
            Error::Api(response) => write!(f, "{response}"),
            Error::Undecodable(response) => write!(f, "{response}"),
            Error::UnexpectedStatus(response) => write!(f, "{response}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Request(error) => Some(error),
            Error::Transport(error) | Error::Timeout(error) => Some(error),
            Error::Authentication(error) => Some(error),
            Error::Undecodable(response) => Some(&response.source),
            Error::Api(_) | Error::UnexpectedStatus(_) => None,
        }
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(error: RequestError) -> Self {
        Error::Request(error)
    }
}

/// How a call fails before there is an answer to decode. Not generic: the
/// sending and authentication code is the same for every endpoint.
#[derive(Debug)]
pub(crate) enum Failure {
    Transport(TransportError),
    Timeout(TransportError),
    Authentication(AuthError),
}

impl Failure {
    pub(crate) fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Transport(error) => Error::Transport(error),
            Failure::Timeout(error) => Error::Timeout(error),
            Failure::Authentication(error) => Error::Authentication(error),
        }
    }
}

/// A failure in the network: connecting, sending, or reading the response.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        TransportError { source }
    }

    /// Whether the failure happened while connecting, so nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        // reqwest keeps the interesting part (refused, reset, timed out) in its sources.
        let mut source = std::error::Error::source(&self.source);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// Why the client could not authenticate.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint (`/api/oauth/token`) refused the service account's
    /// client id and secret, or failed.
    TokenRejected {
        /// Status of the token endpoint's answer.
        status: http::StatusCode,
        /// The OAuth `error` code, e.g. `invalid_client`.
        error: Option<String>,
        /// The OAuth `error_description`.
        description: Option<String>,
    },
    /// The token endpoint answered success without a usable bearer token.
    TokenUndecodable {
        /// Status of the token endpoint's answer.
        status: http::StatusCode,
        /// What was wrong with it.
        reason: String,
    },
    /// Atlas asked for authentication without a Digest challenge this client
    /// can answer.
    DigestChallenge {
        /// Status of the answer that carried the challenge.
        status: http::StatusCode,
        /// What was wrong with it.
        reason: String,
    },
    /// Atlas rejected the API key: it answered a fresh Digest challenge's
    /// response with 401 again.
    DigestRejected {
        /// Status of the rejection.
        status: http::StatusCode,
        /// The `errorCode` of Atlas's error body, when it sent one.
        error_code: Option<String>,
        /// The `detail` of Atlas's error body, when it sent one.
        detail: Option<String>,
    },
}

impl AuthError {
    /// Status of the answer that ended authentication.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            AuthError::TokenRejected { status, .. }
            | AuthError::TokenUndecodable { status, .. }
            | AuthError::DigestChallenge { status, .. }
            | AuthError::DigestRejected { status, .. } => Some(*status),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::TokenRejected { status, error, description } => {
                write!(f, "the token endpoint refused the service account credentials ({status}")?;
                if let Some(error) = error {
                    write!(f, ", {error}")?;
                }
                if let Some(description) = description {
                    write!(f, ": {}", shorten(description))?;
                }
                f.write_str("); check the client id and secret")
            }
            AuthError::TokenUndecodable { status, reason } => {
                write!(f, "the token endpoint answered {status} without a usable access token: {reason}")
            }
            AuthError::DigestChallenge { status, reason } => {
                write!(f, "Atlas answered {status} without a usable Digest challenge: {reason}")
            }
            AuthError::DigestRejected { status, error_code, detail } => {
                write!(f, "Atlas rejected the API key ({status}")?;
                if let Some(error_code) = error_code {
                    write!(f, ", {error_code}")?;
                }
                if let Some(detail) = detail {
                    write!(f, ": {}", shorten(detail))?;
                }
                f.write_str("); check the public and private key")
            }
        }
    }
}

impl std::error::Error for AuthError {}

/// An error answer from Atlas: the status, the body decoded as the
/// endpoint's error type `E`, the body as received, the rate-limit headers,
/// and Atlas's common error fields, read from the body whatever `E` is.
#[derive(Debug, Clone)]
pub struct ApiErrorResponse<E> {
    pub(crate) status: http::StatusCode,
    pub(crate) error: E,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: RateLimit,
    pub(crate) fields: ErrorFields,
}

impl<E> ApiErrorResponse<E> {
    /// The HTTP status.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The body, decoded as the endpoint's error type.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The Atlas `errorCode`, such as `RESOURCE_NOT_FOUND` or `RATE_LIMITED`,
    /// when the body has one.
    pub fn error_code(&self) -> Option<&str> {
        self.fields.error_code.as_deref()
    }

    /// Whether the `errorCode` is `code`.
    pub fn is_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The human-readable explanation.
    pub fn detail(&self) -> Option<&str> {
        self.fields.detail.as_deref()
    }

    /// The HTTP reason phrase Atlas sent.
    pub fn reason(&self) -> Option<&str> {
        self.fields.reason.as_deref()
    }

    /// The values substituted into the message, as Atlas sent them (objects
    /// or plain values).
    pub fn parameters(&self) -> &[serde_json::Value] {
        &self.fields.parameters
    }

    /// The fields of a rejected request body (`badRequestDetail.fields`).
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.fields.field_violations
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }
}

impl<E> fmt::Display for ApiErrorResponse<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Atlas answered {}", self.status)?;
        if self.fields.error_code.is_none() && self.fields.detail.is_none() {
            // A body of the endpoint's type without Atlas's fields: it is all there is to show.
            return write_body(f, &self.body);
        }
        write_fields(f, &self.fields)
    }
}

/// A success status whose body is not the documented type.
#[derive(Debug)]
pub struct UndecodableResponse {
    pub(crate) status: http::StatusCode,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: RateLimit,
    pub(crate) source: serde_json::Error,
}

impl UndecodableResponse {
    /// The HTTP status.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} response body is not the documented type ({})", self.status, self.source)?;
        write_body(f, &self.body)
    }
}

/// An error status whose body is not of the endpoint's error type. Atlas's
/// common error fields are still read from it, when it has them.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    pub(crate) status: http::StatusCode,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: RateLimit,
    pub(crate) fields: ErrorFields,
}

impl UnexpectedResponse {
    /// The HTTP status.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The Atlas `errorCode`, when the body has one.
    pub fn error_code(&self) -> Option<&str> {
        self.fields.error_code.as_deref()
    }

    /// Whether the `errorCode` is `code`.
    pub fn is_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The human-readable explanation, when the body has one.
    pub fn detail(&self) -> Option<&str> {
        self.fields.detail.as_deref()
    }

    /// The HTTP reason phrase, when the body has one.
    pub fn reason(&self) -> Option<&str> {
        self.fields.reason.as_deref()
    }

    /// The values substituted into the message, when the body has them.
    pub fn parameters(&self) -> &[serde_json::Value] {
        &self.fields.parameters
    }

    /// The fields of a rejected request body, when the body lists them.
    pub fn field_violations(&self) -> &[FieldViolation] {
        &self.fields.field_violations
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fields.error_code.is_some() {
            // Atlas's common error body, where the endpoint documents another type.
            write!(f, "Atlas answered {}", self.status)?;
            return write_fields(f, &self.fields);
        }
        write!(f, "Atlas answered {} without an Atlas error body", self.status)?;
        write_body(f, &self.body)
    }
}

/// `: errorCode: detail; field: description…`, for what the body has.
fn write_fields(f: &mut fmt::Formatter<'_>, fields: &ErrorFields) -> fmt::Result {
    if let Some(error_code) = &fields.error_code {
        write!(f, ": {error_code}")?;
    }
    if let Some(detail) = &fields.detail {
        write!(f, ": {}", shorten(detail))?;
    }
    for violation in &fields.field_violations {
        write!(f, "; {}: {}", violation.field, shorten(&violation.description))?;
    }
    Ok(())
}

/// The rate-limit headers of one response. Atlas limits requests per
/// endpoint set and scope with a token bucket; any header may be missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `RateLimit-Limit`: the capacity of the bucket.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: requests left in the bucket.
    pub remaining: Option<u64>,
    /// `Retry-After`: how long to wait before trying again.
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Reads the headers; values that are missing or malformed are `None`.
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let number = |name: &str| {
            let value = headers.get(name)?.to_str().ok()?;
            // Structured forms such as `100, 100;w=60` start with the number.
            let first = value.split([',', ';']).next()?.trim();
            first.parse::<u64>().ok()
        };
        RateLimit {
            limit: number("ratelimit-limit"),
            remaining: number("ratelimit-remaining"),
            retry_after: headers.get(http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(retry_after),
        }
    }

    /// Whether any of the headers was present.
    pub fn is_empty(&self) -> bool {
        self.limit.is_none() && self.remaining.is_none() && self.retry_after.is_none()
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = std::time::SystemTime::from(date);
    Some(at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

fn shorten(text: &str) -> &str {
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn write_body(f: &mut fmt::Formatter<'_>, body: &[u8]) -> fmt::Result {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    let shown = shorten(text);
    write!(f, ": {shown}")?;
    if shown.len() < text.len() {
        f.write_str("…")?;
    }
    Ok(())
}

/// Why [`ClientBuilder::build`](super::ClientBuilder::build) refused the
/// configuration.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither `service_account` nor `api_key` was given.
    MissingCredentials,
    /// Both `service_account` and `api_key` were given; choose one.
    ConflictingCredentials,
    /// A client id or public key is empty.
    EmptyCredential(&'static str),
    /// The base URL does not parse, or has parts a base URL cannot have.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL is plain `http://` to a host that is not loopback.
    InsecureBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// A connect timeout was set together with a caller's `reqwest::Client`,
    /// which keeps its own connect settings.
    ConnectTimeoutWithCustomClient,
    /// reqwest could not build its client (TLS set-up, say).
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingCredentials => f.write_str(
                "no credentials: call `service_account(client_id, client_secret)` or `api_key(public, private)`",
            ),
            BuildError::ConflictingCredentials => {
                f.write_str("both a service account and an API key were given; a client uses one of them")
            }
            BuildError::EmptyCredential(what) => write!(f, "the {what} is empty"),
            BuildError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL `{url}`: {reason}"),
            BuildError::InsecureBaseUrl { url } => write!(
                f,
                "refusing plain http base URL `{url}`: credentials would travel unencrypted; use https, a loopback \
                 host, or `allow_insecure_http(true)`"
            ),
            BuildError::ConnectTimeoutWithCustomClient => f.write_str(
                "a connect timeout cannot be applied to a reqwest::Client you hand in; set it on that client's builder",
            ),
            BuildError::Http(error) => write!(f, "the HTTP client could not be built: {error}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_api_key_says_what_atlas_said() {
        let status = http::StatusCode::UNAUTHORIZED;
        let said = AuthError::DigestRejected {
            status,
            error_code: Some("USER_CANNOT_ACCESS_ORG".to_owned()),
            detail: Some("no access".to_owned()),
        };
        assert_eq!(
            said.to_string(),
            "Atlas rejected the API key (401 Unauthorized, USER_CANNOT_ACCESS_ORG: no access); check the public and \
             private key"
        );
        let silent = AuthError::DigestRejected { status, error_code: None, detail: None };
        assert_eq!(
            silent.to_string(),
            "Atlas rejected the API key (401 Unauthorized); check the public and private key"
        );
    }
}
