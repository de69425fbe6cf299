//! One expectation: the request an endpoint function builds, matched
//! exactly (or with the query or body left free), and the answer declared
//! for it.

use std::future::{Future, IntoFuture};
use std::panic::Location;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use super::unmatched::{describe_request, Difference};
use super::{DocumentedOperation, MockAtlas};
use crate::runtime::{Endpoint, ResponseError, ResponseParser, SuccessBody};

/// Error statuses Atlas may answer any operation with, documented or not:
/// credentials refused, an access list or role that forbids the call, a
/// rate limit, and server or gateway failures.
const ANY_OPERATION_STATUSES: [u16; 7] = [401, 403, 429, 500, 502, 503, 504];

/// An expectation being declared: built by [`MockAtlas::expect`], given an
/// answer, then registered with `.await`.
///
/// By default it expects at least one request; [`Expectation::times`] makes
/// that exactly `n`, after which the same request matches the next
/// expectation declared for it (so a 429 then a success is two expectations
/// of one request each).
#[must_use = "an expectation is registered only when awaited"]
pub struct Expectation<'a, T, E> {
    mock: &'a MockAtlas,
    operation: &'static str,
    request: http::Request<Vec<u8>>,
    parser: ResponseParser<T, E>,
    location: &'static Location<'static>,
    answer: Option<Answer>,
    delay: Option<Duration>,
    times: Option<u64>,
    any_query: bool,
    any_body: bool,
}

/// What the mock answers a matched request with.
#[derive(Debug, Clone)]
enum Answer {
    /// A status, with a body of the given media type (none when empty).
    Reply { status: u16, media_type: &'static str, body: Vec<u8> },
    /// 429 with `Retry-After` in whole seconds.
    RateLimited(Duration),
    /// 503, Atlas's answer while it cannot serve.
    Unavailable,
    /// Headers announcing a body that never comes: the connection closes.
    DropConnection,
}

impl<'a, T, E> Expectation<'a, T, E> {
    pub(super) fn new(mock: &'a MockAtlas, endpoint: Endpoint<T, E>, location: &'static Location<'static>) -> Self {
        let operation = endpoint.operation();
        let (request, parser) = endpoint.into_parts();
        Expectation {
            mock,
            operation,
            request,
            parser,
            location,
            answer: None,
            delay: None,
            times: None,
            any_query: false,
            any_body: false,
        }
    }

    /// Answers with Atlas's 429 and `Retry-After` (whole seconds, rounded
    /// up), which the client waits for before it retries.
    pub fn rate_limited(mut self, retry_after: Duration) -> Self {
        self.answer = Some(Answer::RateLimited(retry_after));
        self
    }

    /// Answers with Atlas's 503.
    pub fn unavailable(mut self) -> Self {
        self.answer = Some(Answer::Unavailable);
        self
    }

    /// Closes the connection instead of answering: the answer's headers
    /// announce a body that never comes, so the client sees a transport error.
    pub fn drop_connection(mut self) -> Self {
        self.answer = Some(Answer::DropConnection);
        self
    }

    /// Waits `delay` before answering, e.g. to run into a client's timeout.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Expects exactly `n` requests; later ones go to the next expectation
    /// that matches, or fail the test.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Expects exactly one request.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// Matches whatever query the request has.
    pub fn any_query(mut self) -> Self {
        self.any_query = true;
        self
    }

    /// Matches whatever body the request has.
    pub fn any_body(mut self) -> Self {
        self.any_body = true;
        self
    }

    /// The operation, its request line and where the expectation was declared.
    fn name(&self) -> String {
        format!("`{}` ({}) declared at {}", self.operation, describe_request(&self.request), self.location)
    }

    fn documented(&self) -> &'static DocumentedOperation {
        self.mock.operation(self.operation).unwrap_or_else(|| {
            panic!("expectation {}: the mock does not know operation `{}`", self.name(), self.operation)
        })
    }
}

impl<T: Serialize + DeserializeOwned, E: DeserializeOwned> Expectation<'_, T, E> {
    /// Answers with `value`, in the operation's media type and with its
    /// documented success status (for a success without a body, `()`).
    ///
    /// # Panics
    ///
    /// When `value` does not make a body the endpoint's own parser reads
    /// back as the documented type.
    #[track_caller]
    pub fn returns(mut self, value: T) -> Self {
        let status = self.parser.success_status();
        let body = match success_body(&value, self.parser.body_kind(), self.parser.envelope(), status) {
            Ok(body) => body,
            Err(problem) => panic!("expectation {}: `returns` cannot send this value: {problem}", self.name()),
        };
        if let Err(error) = self.parser.parse(status, &body) {
            let reason = match error {
                ResponseError::Decode { source, .. } => source.to_string(),
                ResponseError::Api(response) => response.to_string(),
            };
            panic!("expectation {}: the value does not fit the documented response: {reason}", self.name());
        }
        let media_type = self.request_media_type();
        self.answer = Some(Answer::Reply { status: status.as_u16(), media_type, body });
        self
    }

    /// The media type of the resource version the request asks for.
    fn request_media_type(&self) -> &'static str {
        let accept = self.request.headers().get(http::header::ACCEPT).and_then(|value| value.to_str().ok());
        let documented = self.documented();
        documented.media_types.iter().copied().find(|media_type| Some(*media_type) == accept).unwrap_or_else(|| {
            panic!("expectation {}: `Accept: {accept:?}` is not a media type the operation declares", self.name())
        })
    }
}

impl<T, E: Serialize> Expectation<'_, T, E> {
    /// Answers with an error `status` and `error` as the body (JSON).
    ///
    /// # Panics
    ///
    /// When `status` is not an error status, or is neither documented for
    /// the operation nor one Atlas may send for any operation (401, 403,
    /// 429, 500, 502, 503, 504).
    #[track_caller]
    pub fn fails(mut self, status: u16, error: E) -> Self {
        let documented = self.documented().error_statuses;
        if !(400..=599).contains(&status) {
            panic!("expectation {}: `fails` takes an error status, not {status}; use `returns`", self.name());
        }
        if !documented.contains(&status) && !ANY_OPERATION_STATUSES.contains(&status) {
            panic!(
                "expectation {}: status {status} is not documented for the operation (documented: {documented:?}; \
                 any operation may also get {ANY_OPERATION_STATUSES:?})",
                self.name()
            );
        }
        let body = serde_json::to_vec(&error)
            .unwrap_or_else(|problem| panic!("expectation {}: the error cannot be encoded: {problem}", self.name()));
        self.answer = Some(Answer::Reply { status, media_type: "application/json", body });
        self
    }
}

/// The body of a success: none, the raw bytes, or the value as JSON
/// (wrapped as Atlas does when the request asked for an envelope).
fn success_body<T: Serialize>(
    value: &T,
    kind: SuccessBody,
    envelope: bool,
    status: http::StatusCode,
) -> Result<Vec<u8>, serde_json::Error> {
    let json = serde_json::to_value(value)?;
    match kind {
        SuccessBody::Empty => Ok(Vec::new()),
        SuccessBody::JsonOrEmpty if json.is_null() => Ok(Vec::new()),
        // `RawBody` serializes as its bytes.
        SuccessBody::Raw => serde_json::from_value(json),
        SuccessBody::Json | SuccessBody::JsonOrEmpty if envelope => {
            serde_json::to_vec(&serde_json::json!({"status": status.as_u16(), "content": json}))
        }
        SuccessBody::Json | SuccessBody::JsonOrEmpty => serde_json::to_vec(&json),
    }
}

impl<'a, T: 'a, E: 'a> IntoFuture for Expectation<'a, T, E> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    /// Registers the expectation with the mock.
    ///
    /// # Panics
    ///
    /// When no answer was declared.
    #[track_caller]
    fn into_future(self) -> Self::IntoFuture {
        let name = self.name();
        let Some(answer) = self.answer else {
            panic!(
                "expectation {name} has no answer: give it one with `returns`, `fails`, `rate_limited`, \
                 `unavailable` or `drop_connection`"
            );
        };
        let declared = Arc::new(Declared {
            name,
            request: ExpectedRequest::of(&self.request, self.any_query, self.any_body),
            times: self.times,
            answered: AtomicU64::new(0),
        });
        let mut mock = Mock::given(Matches(declared.clone()))
            .respond_with(Responder { declared: declared.clone(), answer, delay: self.delay })
            .named(declared.name.clone());
        if let Some(times) = self.times {
            mock = mock.up_to_n_times(times);
        }
        let atlas = self.mock;
        Box::pin(async move { atlas.register(declared, mock).await })
    }
}

/// A registered expectation, as the server and [`MockAtlas::check`] see it.
pub(super) struct Declared {
    pub(super) name: String,
    pub(super) request: ExpectedRequest,
    times: Option<u64>,
    answered: AtomicU64,
}

impl Declared {
    /// What is wrong with how often it was called, if anything.
    pub(super) fn unmet(&self) -> Option<String> {
        let answered = self.answered.load(Ordering::SeqCst);
        match self.times {
            None if answered == 0 => Some(format!("expectation {} got no request", self.name)),
            Some(times) if answered != times => {
                Some(format!("expectation {} expected {times} request(s), got {answered}", self.name))
            }
            _ => None,
        }
    }

    /// Whether it takes no more requests (it got the `times` it declared).
    pub(super) fn exhausted(&self) -> bool {
        self.times.is_some_and(|times| self.answered.load(Ordering::SeqCst) >= times)
    }
}

/// The request an expectation matches.
pub(super) struct ExpectedRequest {
    method: http::Method,
    path: String,
    /// Decoded name and value pairs, sorted; `None` for any query.
    query: Option<Vec<(String, String)>>,
    accept: Option<String>,
    content_type: Option<String>,
    /// `None` for any body.
    body: Option<Vec<u8>>,
}

impl ExpectedRequest {
    fn of(request: &http::Request<Vec<u8>>, any_query: bool, any_body: bool) -> Self {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        ExpectedRequest {
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
            query: (!any_query).then(|| query_pairs(request.uri().query().unwrap_or(""))),
            accept: header(http::header::ACCEPT),
            content_type: header(http::header::CONTENT_TYPE),
            body: (!any_body).then(|| request.body().clone()),
        }
    }

    /// How `request` differs from this one: empty when it matches.
    pub(super) fn differences(&self, request: &Request) -> Vec<Difference> {
        let mut differences = Vec::new();
        let mut differ = |part: &'static str, expected: String, got: String| {
            if expected != got {
                differences.push(Difference { part, expected, got });
            }
        };
        differ("method", self.method.to_string(), request.method.to_string());
        differ("path", self.path.clone(), request.url.path().to_owned());
        if let Some(query) = &self.query {
            differ("query", render_query(query), render_query(&query_pairs(request.url.query().unwrap_or(""))));
        }
        let header = |name| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_owned());
        differ("Accept", or_none(&self.accept), or_none(&header(http::header::ACCEPT)));
        if let Some(body) = &self.body {
            differ("Content-Type", or_none(&self.content_type), or_none(&header(http::header::CONTENT_TYPE)));
            if !same_body(body, &request.body) {
                differ(
                    "body",
                    String::from_utf8_lossy(body).into_owned(),
                    String::from_utf8_lossy(&request.body).into(),
                );
            }
        }
        differences
    }
}

/// Bodies are the same when they are the same JSON, whatever the spacing
/// and key order, or the same bytes.
fn same_body(expected: &[u8], got: &[u8]) -> bool {
    match (serde_json::from_slice::<serde_json::Value>(expected), serde_json::from_slice::<serde_json::Value>(got)) {
        (Ok(expected), Ok(got)) => expected == got,
        _ => expected == got,
    }
}

/// A query's decoded pairs, sorted so that order does not matter.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect();
    pairs.sort();
    pairs
}

fn render_query(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "(none)".to_owned();
    }
    pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

/// Matches the requests of one expectation.
struct Matches(Arc<Declared>);

impl wiremock::Match for Matches {
    fn matches(&self, request: &Request) -> bool {
        self.0.request.differences(request).is_empty()
    }
}

/// Answers the requests of one expectation, counting them.
struct Responder {
    declared: Arc<Declared>,
    answer: Answer,
    delay: Option<Duration>,
}

impl Respond for Responder {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.declared.answered.fetch_add(1, Ordering::SeqCst);
        let template = match &self.answer {
            Answer::Reply { status, body, .. } if body.is_empty() => ResponseTemplate::new(*status),
            Answer::Reply { status, media_type, body } => {
                ResponseTemplate::new(*status).set_body_raw(body.clone(), media_type)
            }
            Answer::RateLimited(retry_after) => {
                let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                atlas_error(
                    429,
                    Some("RATE_LIMITED"),
                    "Too Many Requests",
                    "The mock was told to rate-limit this request.",
                )
                .insert_header("Retry-After", seconds.to_string().as_str())
            }
            Answer::Unavailable => {
                atlas_error(503, None, "Service Unavailable", "The mock was told to be unavailable.")
            }
            // hyper sends the headers, then closes the connection when the
            // body falls short of its announced length.
            Answer::DropConnection => ResponseTemplate::new(200)
                .insert_header(http::header::CONTENT_LENGTH.as_str(), "1048576")
                .set_body_raw(b"{".to_vec(), "application/json"),
        };
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// An answer with a body shaped as Atlas's errors.
pub(super) fn atlas_error(status: u16, error_code: Option<&str>, reason: &str, detail: &str) -> ResponseTemplate {
    let mut body = serde_json::json!({"error": status, "reason": reason, "detail": detail});
    if let Some(code) = error_code {
        body["errorCode"] = code.into();
    }
    ResponseTemplate::new(status).set_body_json(body)
}
