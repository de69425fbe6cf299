//! What every endpoint function shares: building the HTTP request and reading
//! the response. Sans-IO: requests go out as `http::Request`, responses come
//! in as `http::Response`, so any HTTP client can carry them.

// Which crate-internal helpers a generated crate calls depends on its spec
// (one without enums, ids or request bodies leaves some unused).
#![allow(dead_code)]

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

/// Characters left as they are in a path segment: RFC 3986 unreserved, less
/// `.`, so that a value such as `..` cannot step out of its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// Characters left as they are in a query name or value (RFC 3986 unreserved).
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One API call: the request to send and how to read its response.
///
/// Built by the endpoint functions of the release modules; send
/// [`Endpoint::request`] with any HTTP client and pass what comes back to
/// [`Endpoint::parse_response`].
#[derive(Debug)]
#[must_use = "an endpoint does nothing until its request is sent"]
pub struct Endpoint<T, E> {
    request: http::Request<Vec<u8>>,
    parser: ResponseParser<T, E>,
}

impl<T, E> Endpoint<T, E> {
    /// The request: method, path and query (relative to the API's base URL,
    /// `https://cloud.mongodb.com`), `Accept`, and for a body `Content-Type`.
    pub fn request(&self) -> &http::Request<Vec<u8>> {
        &self.request
    }

    /// Splits the endpoint, for clients that send the request by value.
    pub fn into_parts(self) -> (http::Request<Vec<u8>>, ResponseParser<T, E>) {
        (self.request, self.parser)
    }

    /// The parser for this endpoint's responses.
    pub fn parser(&self) -> ResponseParser<T, E> {
        self.parser
    }
}

impl<T: DeserializeOwned, E: DeserializeOwned> Endpoint<T, E> {
    /// Reads a response to this endpoint's request.
    ///
    /// # Errors
    ///
    /// [`ResponseError::Api`] for a status that is not a success, with the
    /// decoded error body when it is one; [`ResponseError::Decode`] when a
    /// success body is not the documented type.
    pub fn parse_response<B: AsRef<[u8]>>(&self, response: &http::Response<B>) -> Result<T, ResponseError<E>> {
        self.parser.parse(response.status(), response.body().as_ref())
    }
}

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
    /// The same parser, reading error bodies as `F`: a client that decodes
    /// every error into one shared type reads them all alike.
    pub(crate) fn with_error_type<F>(self) -> ResponseParser<T, F> {
        ResponseParser { success: self.success, body: self.body, envelope: self.envelope, types: PhantomData }
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
    /// As [`Endpoint::parse_response`].
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
                serde_json::from_slice::<serde_json::Value>(body).and_then(|value| T::deserialize(unwrap_envelope(value)))
            }
            SuccessBody::Json | SuccessBody::JsonOrEmpty => serde_json::from_slice::<T>(body),
        };
        decoded.map_err(|source| ResponseError::Decode { status, body: body.to_vec(), source })
    }
}

/// With `envelope=true` Atlas answers `{"status": …, "content": …}`; the
/// value of interest is `content`. A body without `content` is taken whole.
fn unwrap_envelope(value: serde_json::Value) -> serde_json::Value {
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
pub(crate) enum SuccessBody {
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

/// A string rejected by a validated id type such as an organization id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind}: it must match `{pattern}`")]
pub struct InvalidId {
    kind: &'static str,
    pattern: &'static str,
    value: String,
}

impl InvalidId {
    pub(crate) fn new(kind: &'static str, pattern: &'static str, value: String) -> Self {
        InvalidId { kind, pattern, value }
    }

    /// The id type that rejected the value, e.g. `OrgId`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The pattern the value had to match.
    pub fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// The rejected value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// An enum value the server sent that this version of the crate does not
/// know. It is kept exactly as received and serialized back unchanged; only
/// parsing creates one, so a known value never ends up here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    pub(crate) fn new(value: &str) -> Self {
        UnknownValue(value.to_owned())
    }

    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `FromStr`, `Display`, `Serialize` and `Deserialize` of an open enum, all
/// through its `KNOWN` values and `as_str`; `$fallback` is the variant that
/// keeps a value it does not know. The same for every such enum, so written
/// once. Looking a value up in `KNOWN` compares the same strings, in the same
/// order, as a `match` on them would.
#[allow(unused_macros)] // A spec without enums does not call it.
macro_rules! open_enum_traits {
    ($name:ident, $fallback:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                let known = $name::KNOWN.iter().find(|known| known.as_str() == value);
                ::std::result::Result::Ok(match known {
                    ::std::option::Option::Some(known) => known.clone(),
                    ::std::option::Option::None => $name::$fallback($crate::UnknownValue::new(value)),
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_open_enum(deserializer, concat!("a ", stringify!($name), " string"))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use open_enum_traits;

/// The conversions of a checked id, all through its `new`, `as_str` and
/// the `String` it wraps: the same for every id type, so written once.
#[allow(unused_macros)] // A spec without ids does not call it.
macro_rules! id_conversions {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = $crate::InvalidId;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $name::new(value)
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::InvalidId;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                $name::new(value)
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::InvalidId;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                $name::new(value)
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(id: $name) -> Self {
                id.into_string()
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use id_conversions;

/// `Deserialize` of a model struct from a JSON object, as serde's derive
/// would decode it: unknown keys are skipped, a repeated key is an error, an
/// absent optional field is `None` and any other absent field is a
/// "missing field" error. Each field is listed as `optional` (an `Option`)
/// or `required`, its index (from 0, in order), its wire name and its Rust
/// name: `optional 0 "wireName" => rust_name`.
///
/// Written once here rather than derived per struct: on the whole Atlas API
/// the derive's per-struct field enum, its visitor and its sequence form
/// were most of the crate's compile time and memory. Models are JSON
/// objects, so only the map form is decoded.
#[allow(unused_macros)] // A spec without object schemas does not call it.
macro_rules! deserialize_struct {
    ($name:ident { $($kind:ident $index:literal $wire:literal => $field:ident),* $(,)? }) => {
        #[allow(deprecated)] // Deprecated fields still decode.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];

                // Underscored: a model may be called `Visitor`, and a name
                // declared here would shadow it.
                struct __Visitor;

                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        while let ::std::option::Option::Some(index) = map.next_key_seed($crate::runtime::FieldIndex(FIELDS))? {
                            // One `?` for all fields: a `?` per field is much more work for the compiler.
                            let read = match index {
                                $(::std::option::Option::Some($index) => $crate::runtime::read_field(&mut map, &mut $field, $wire),)*
                                _ => map.next_value::<::serde::de::IgnoredAny>().map(::std::mem::drop),
                            };
                            read?;
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::runtime::deserialize_struct!(@take $kind $field $wire),)*
                        })
                    }
                }

                deserializer.deserialize_struct(stringify!($name), FIELDS, __Visitor)
            }
        }
    };
    (@take optional $field:ident $wire:literal) => {
        $field.unwrap_or_default()
    };
    (@take required $field:ident $wire:literal) => {
        match $field {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => return ::std::result::Result::Err(::serde::de::Error::missing_field($wire)),
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// Finds an object key among a struct's field names (`None` for a key the
/// struct does not have), for [`deserialize_struct!`].
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }
}

/// Reads the value of field `name` into `slot`, for [`deserialize_struct!`].
///
/// # Errors
///
/// A "duplicate field" error when the object has already given the field,
/// or the value's own decoding error.
pub(crate) fn read_field<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Deserializes an open enum from a string without allocating for known values.
pub(crate) fn deserialize_open_enum<'de, D, T>(deserializer: D, expecting: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr<Err = Infallible>,
{
    struct Visitor<T>(&'static str, PhantomData<T>);

    impl<T: FromStr<Err = Infallible>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_str<Er: serde::de::Error>(self, value: &str) -> Result<T, Er> {
            let Ok(parsed) = value.parse();
            Ok(parsed)
        }
    }

    deserializer.deserialize_str(Visitor(expecting, PhantomData))
}

/// Assembles the request of one endpoint function.
pub(crate) struct RequestBuilder {
    method: http::Method,
    media_type: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    envelope: bool,
}

impl RequestBuilder {
    /// A request with `Accept` (and, for a body, `Content-Type`) set to the
    /// resource version's `media_type`.
    pub(crate) fn new(method: http::Method, media_type: &'static str) -> Self {
        RequestBuilder {
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
    pub(crate) fn literal(mut self, text: &str) -> Self {
        self.path.push_str(text);
        self
    }

    /// Appends a caller's value as one percent-encoded path segment.
    pub(crate) fn segment(mut self, value: &str) -> Self {
        self.path.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
        self
    }

    /// Adds `name=value` to the query when there is a value.
    pub(crate) fn query(mut self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a header parameter when there is a value. A value that is not a
    /// valid header value fails `build` with [`RequestError::Http`].
    pub(crate) fn header(mut self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        if let Some(value) = value {
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// Notes that the caller asked Atlas to wrap the response (`envelope=true`).
    pub(crate) fn envelope(mut self, envelope: Option<bool>) -> Self {
        self.envelope = envelope == Some(true);
        self
    }

    /// Sets the JSON body.
    pub(crate) fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, RequestError> {
        self.body = Some(serde_json::to_vec(body)?);
        Ok(self)
    }

    /// Finishes the request; `status` is the documented success status.
    pub(crate) fn build<T, E>(self, status: u16, body: SuccessBody) -> Result<Endpoint<T, E>, RequestError> {
        let mut uri = self.path;
        for (index, (name, value)) in self.query.iter().enumerate() {
            uri.push(if index == 0 { '?' } else { '&' });
            uri.extend(percent_encoding::utf8_percent_encode(name, QUERY_COMPONENT));
            uri.push('=');
            uri.extend(percent_encoding::utf8_percent_encode(value, QUERY_COMPONENT));
        }
        let mut request = http::Request::builder()
            .method(self.method)
            .uri(uri)
            .header(http::header::ACCEPT, self.media_type);
        if self.body.is_some() {
            request = request.header(http::header::CONTENT_TYPE, self.media_type);
        }
        for (name, value) in &self.headers {
            request = request.header(*name, value.as_str());
        }
        let request = request.body(self.body.unwrap_or_default())?;
        let success = http::StatusCode::from_u16(status).map_err(http::Error::from)?;
        Ok(Endpoint {
            request,
            parser: ResponseParser { success, body, envelope: self.envelope, types: PhantomData },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        let endpoint = RequestBuilder::new(http::Method::GET, "application/json")
            .literal("/a/")
            .segment("../b c/%")
            .build::<(), ()>(204, SuccessBody::Empty)
            .expect("valid request");
        assert_eq!(endpoint.request().uri().path(), "/a/%2E%2E%2Fb%20c%2F%25");
    }

    #[test]
    fn query_values_are_encoded() {
        let endpoint = RequestBuilder::new(http::Method::GET, "application/json")
            .literal("/a")
            .query("username", Some("a+b@example.com"))
            .query("pretty", None::<bool>)
            .build::<(), ()>(204, SuccessBody::Empty)
            .expect("valid request");
        assert_eq!(endpoint.request().uri().query(), Some("username=a%2Bb%40example.com"));
    }

    fn parser<T>(body: SuccessBody) -> ResponseParser<T, ()> {
        ResponseParser { success: http::StatusCode::OK, body, envelope: false, types: PhantomData }
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
    fn invalid_header_values_are_errors_not_panics() {
        let built = RequestBuilder::new(http::Method::GET, "application/json")
            .literal("/a")
            .header("X-Flag", Some("line\nbreak"))
            .build::<(), ()>(200, SuccessBody::Empty);
        assert!(matches!(built, Err(RequestError::Http(_))));
    }

    #[test]
    fn envelope_is_unwrapped() {
        let parser = ResponseParser::<Vec<u32>, ()> {
            success: http::StatusCode::OK,
            body: SuccessBody::Json,
            envelope: true,
            types: PhantomData,
        };
        let parsed = parser.parse(http::StatusCode::OK, br#"{"status":200,"content":[1,2]}"#).expect("decodes");
        assert_eq!(parsed, vec![1, 2]);
    }
}
