//! Reading the response of one endpoint: the success body as the documented
//! type (JSON, none, or raw bytes), error statuses with their decoded error
//! body, and Atlas's `envelope=true` wrapping.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

/// Reads the responses of one endpoint into its success type `T` or its
/// error type `E`.
pub struct ResponseParser<T, E> {
    success: http::StatusCode,
    body: SuccessBody,
    envelope: bool,
    types: PhantomData<fn() -> (T, E)>,
}

// Manual impls: the parser holds no `T` or `E`, so it is `Copy` whatever they are.
impl<T, E> Clone for ResponseParser<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for ResponseParser<T, E> {}

impl<T, E> fmt::Debug for ResponseParser<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseParser")
            .field("success", &self.success)
            .field("body", &self.body)
            .field("envelope", &self.envelope)
            .finish()
    }
}

impl<T, E> ResponseParser<T, E> {
    /// A parser for a request whose documented success is `success` with
    /// `body`; `envelope` when the caller asked Atlas to wrap the response.
    pub(super) fn new(success: http::StatusCode, body: SuccessBody, envelope: bool) -> Self {
        ResponseParser { success, body, envelope, types: PhantomData }
    }

    /// Whether the caller asked Atlas to wrap the response (`envelope=true`).
    pub(super) fn envelope(&self) -> bool {
        self.envelope
    }

    /// What a success response carries.
    pub(super) fn body_kind(&self) -> SuccessBody {
        self.body
    }
}

impl<T: DeserializeOwned, E: DeserializeOwned> ResponseParser<T, E> {
    /// The documented success status (any 2xx is accepted as success).
    pub fn success_status(&self) -> http::StatusCode {
        self.success
    }

    /// Reads a response given as status and body.
    ///
    /// # Errors
    ///
    /// As [`Endpoint::parse_response`](super::Endpoint::parse_response).
    pub fn parse(&self, status: http::StatusCode, body: &[u8]) -> Result<T, ResponseError<E>> {
        if !status.is_success() {
            let error = serde_json::from_slice::<E>(unwrap_envelope_bytes(body, self.envelope).as_ref()).ok();
            return Err(ResponseError::Api(ErrorResponse { status, error, body: body.to_vec() }));
        }
        let empty = || T::deserialize(serde::de::value::UnitDeserializer::<serde_json::Error>::new());
        let decoded = match self.body {
            SuccessBody::Empty => empty(),
            // `Option<_>` decodes `None` from the unit value.
            SuccessBody::JsonOrEmpty if body.iter().all(u8::is_ascii_whitespace) => empty(),
            SuccessBody::Raw => T::deserialize(serde::de::value::BytesDeserializer::<serde_json::Error>::new(body)),
            SuccessBody::Json | SuccessBody::JsonOrEmpty if self.envelope => {
                serde_json::from_slice::<serde_json::Value>(body)
                    .and_then(|value| T::deserialize(unwrap_envelope(value)))
            }
            SuccessBody::Json | SuccessBody::JsonOrEmpty => serde_json::from_slice::<T>(body),
        };
        decoded.map_err(|source| ResponseError::Decode { status, body: body.to_vec(), source })
    }
}

/// With `envelope=true` Atlas answers `{"status": …, "content": …}`; the
/// value of interest is `content`. A body without `content` is taken whole.
pub(super) fn unwrap_envelope(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(mut object) if object.contains_key("content") && object.contains_key("status") => {
            object.remove("content").unwrap_or(serde_json::Value::Null)
        }
        other => other,
    }
}

fn unwrap_envelope_bytes(body: &[u8], envelope: bool) -> std::borrow::Cow<'_, [u8]> {
    if !envelope {
        return body.into();
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => serde_json::to_vec(&unwrap_envelope(value)).map_or(body.into(), Into::into),
        Err(_) => body.into(),
    }
}

/// What a success response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessBody {
    /// A JSON body of the success type.
    Json,
    /// No body (the success type is `()`).
    Empty,
    /// A JSON body, or none (the success type is an `Option`).
    JsonOrEmpty,
    /// A body that is not JSON, kept as received (the success type is [`RawBody`]).
    Raw,
}

/// A response body that is not JSON (a CSV report, a gzip archive), exactly
/// as received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RawBody(Vec<u8>);

impl RawBody {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for RawBody {
    fn from(bytes: Vec<u8>) -> Self {
        RawBody(bytes)
    }
}

/// As its bytes, which is how a mock answer carries a raw body.
impl serde::Serialize for RawBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for RawBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawBody;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a response body")
            }

            fn visit_bytes<Er: serde::de::Error>(self, bytes: &[u8]) -> Result<RawBody, Er> {
                Ok(RawBody(bytes.to_vec()))
            }

            fn visit_str<Er: serde::de::Error>(self, text: &str) -> Result<RawBody, Er> {
                Ok(RawBody(text.as_bytes().to_vec()))
            }
        }

        deserializer.deserialize_bytes(Visitor)
    }
}

/// A response that is not the documented success.
#[derive(Debug, thiserror::Error)]
pub enum ResponseError<E> {
    /// The server answered with a status that is not a success.
    #[error("{0}")]
    Api(ErrorResponse<E>),
    /// The status was a success but the body is not the documented type.
    #[error("the {status} response body is not the documented type: {source}")]
    Decode {
        /// The response status.
        status: http::StatusCode,
        /// The body as received.
        body: Vec<u8>,
        /// What the JSON decoder said.
        #[source]
        source: serde_json::Error,
    },
}

impl<E> ResponseError<E> {
    /// The response status.
    pub fn status(&self) -> http::StatusCode {
        match self {
            ResponseError::Api(response) => response.status,
            ResponseError::Decode { status, .. } => *status,
        }
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        match self {
            ResponseError::Api(response) => &response.body,
            ResponseError::Decode { body, .. } => body,
        }
    }
}

/// An error status from the API, with its body decoded when it is the
/// documented error type and kept as received in any case.
#[derive(Debug, Clone)]
pub struct ErrorResponse<E> {
    /// The response status.
    pub status: http::StatusCode,
    /// The decoded error, when the body is one.
    pub error: Option<E>,
    /// The body as received.
    pub body: Vec<u8>,
}

impl<E> fmt::Display for ErrorResponse<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 512;
        write!(f, "the API answered {}", self.status)?;
        let body = String::from_utf8_lossy(&self.body);
        let body = body.trim();
        if !body.is_empty() {
            match body.char_indices().nth(SHOWN) {
                Some((end, _)) => write!(f, ": {}…", &body[..end])?,
                None => write!(f, ": {body}")?,
            }
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for ErrorResponse<E> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser<T>(body: SuccessBody) -> ResponseParser<T, ()> {
        ResponseParser::new(http::StatusCode::OK, body, false)
    }

    #[test]
    fn a_bodiless_success_is_none_when_the_body_is_optional() {
        let parser = parser::<Option<Vec<u32>>>(SuccessBody::JsonOrEmpty);
        assert_eq!(parser.parse(http::StatusCode::NO_CONTENT, b"").expect("decodes"), None);
        assert_eq!(parser.parse(http::StatusCode::OK, b"[1]").expect("decodes"), Some(vec![1]));
    }

    #[test]
    fn raw_bodies_are_kept_as_received() {
        let parser = parser::<RawBody>(SuccessBody::Raw);
        let gzip = [0x1f, 0x8b, 0x08, 0x00, 0xff];
        assert_eq!(parser.parse(http::StatusCode::OK, &gzip).expect("decodes").as_bytes(), gzip);
    }

    #[test]
    fn envelope_is_unwrapped() {
        let parser = ResponseParser::<Vec<u32>, ()>::new(http::StatusCode::OK, SuccessBody::Json, true);
        let parsed = parser.parse(http::StatusCode::OK, br#"{"status":200,"content":[1,2]}"#).expect("decodes");
        assert_eq!(parsed, vec![1, 2]);
    }
}
