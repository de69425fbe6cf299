//! An [`Endpoint`]: one API call, as the request to send and the parser for
//! its response.

use serde::de::DeserializeOwned;

use super::response::{ResponseError, ResponseParser};

/// One API call: the request to send and how to read its response.
///
/// Built by the endpoint functions of the release modules; send
/// [`Endpoint::request`] with any HTTP client and pass what comes back to
/// [`Endpoint::parse_response`].
#[derive(Debug)]
#[must_use = "an endpoint does nothing until its request is sent"]
pub struct Endpoint<T, E> {
    operation: &'static str,
    request: http::Request<Vec<u8>>,
    parser: ResponseParser<T, E>,
}

impl<T, E> Endpoint<T, E> {
    /// Pairs the request of `operation` with the parser for its responses.
    pub(super) fn new(operation: &'static str, request: http::Request<Vec<u8>>, parser: ResponseParser<T, E>) -> Self {
        Endpoint { operation, request, parser }
    }

    /// The `operationId` of the operation in the API description, such as
    /// `listOrgInvites`: how errors and logs can name the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

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
