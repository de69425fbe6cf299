//! Building the request of one endpoint function: method, media type,
//! percent-encoded path and query, headers and JSON body.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use super::endpoint::Endpoint;
use super::response::{ResponseParser, SuccessBody};

/// Characters left as they are in a path segment: RFC 3986 unreserved, less
/// `.`, so that a value such as `..` cannot step out of its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// Characters left as they are in a query name or value (RFC 3986 unreserved).
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request that could not be built.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The body could not be encoded as JSON.
    #[error("the request body could not be encoded as JSON: {0}")]
    Body(#[from] serde_json::Error),
    /// The parts did not make a valid HTTP request.
    #[error("the request could not be built: {0}")]
    Http(#[from] http::Error),
}

/// Assembles the request of one endpoint function.
pub struct RequestBuilder {
    operation: &'static str,
    method: http::Method,
    media_type: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    envelope: bool,
}

impl RequestBuilder {
    /// The request of `operation` (its `operationId`), with `Accept` (and,
    /// for a body, `Content-Type`) set to the resource version's `media_type`.
    pub fn new(operation: &'static str, method: http::Method, media_type: &'static str) -> Self {
        RequestBuilder {
            operation,
            method,
            media_type,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            envelope: false,
        }
    }

    /// Appends literal path text from the spec.
    pub fn literal(mut self, text: &str) -> Self {
        self.path.push_str(text);
        self
    }

    /// Appends a caller's value as one percent-encoded path segment.
    pub fn segment(mut self, value: &str) -> Self {
        self.path.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
        self
    }

    /// Adds `name=value` to the query when there is a value.
    pub fn query(mut self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a header parameter when there is a value. A value that is not a
    /// valid header value fails `build` with [`RequestError::Http`].
    pub fn header(mut self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        if let Some(value) = value {
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// Notes that the caller asked Atlas to wrap the response (`envelope=true`).
    pub fn envelope(mut self, envelope: Option<bool>) -> Self {
        self.envelope = envelope == Some(true);
        self
    }

    /// Sets the JSON body.
    ///
    /// # Errors
    ///
    /// [`RequestError::Body`] when the body cannot be encoded as JSON.
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, RequestError> {
        self.body = Some(serde_json::to_vec(body)?);
        Ok(self)
    }

    /// Finishes the request; `status` is the documented success status.
    ///
    /// # Errors
    ///
    /// [`RequestError::Http`] when the parts do not make a valid request (a
    /// header value with a line break, say).
    pub fn build<T, E>(self, status: u16, body: SuccessBody) -> Result<Endpoint<T, E>, RequestError> {
        let mut uri = self.path;
        for (index, (name, value)) in self.query.iter().enumerate() {
            uri.push(if index == 0 { '?' } else { '&' });
            uri.extend(percent_encoding::utf8_percent_encode(name, QUERY_COMPONENT));
            uri.push('=');
            uri.extend(percent_encoding::utf8_percent_encode(value, QUERY_COMPONENT));
        }
        let mut request =
            http::Request::builder().method(self.method).uri(uri).header(http::header::ACCEPT, self.media_type);
        if self.body.is_some() {
            request = request.header(http::header::CONTENT_TYPE, self.media_type);
        }
        for (name, value) in &self.headers {
            request = request.header(*name, value.as_str());
        }
        let request = request.body(self.body.unwrap_or_default())?;
        let success = http::StatusCode::from_u16(status).map_err(http::Error::from)?;
        Ok(Endpoint::new(self.operation, request, ResponseParser::new(success, body, self.envelope)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        let endpoint = RequestBuilder::new("getA", http::Method::GET, "application/json")
            .literal("/a/")
            .segment("../b c/%")
            .build::<(), ()>(204, SuccessBody::Empty)
            .expect("valid request");
        assert_eq!(endpoint.request().uri().path(), "/a/%2E%2E%2Fb%20c%2F%25");
        assert_eq!(endpoint.operation(), "getA");
    }

    #[test]
    fn query_values_are_encoded() {
        let endpoint = RequestBuilder::new("getA", http::Method::GET, "application/json")
            .literal("/a")
            .query("username", Some("a+b@example.com"))
            .query("pretty", None::<bool>)
            .build::<(), ()>(204, SuccessBody::Empty)
            .expect("valid request");
        assert_eq!(endpoint.request().uri().query(), Some("username=a%2Bb%40example.com"));
    }

    #[test]
    fn invalid_header_values_are_errors_not_panics() {
        let built = RequestBuilder::new("getA", http::Method::GET, "application/json")
            .literal("/a")
            .header("X-Flag", Some("line\nbreak"))
            .build::<(), ()>(200, SuccessBody::Empty);
        assert!(matches!(built, Err(RequestError::Http(_))));
    }
}
