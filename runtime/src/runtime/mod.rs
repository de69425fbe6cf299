//! What every endpoint function and model of a generated crate shares:
//! building the HTTP request, reading the response, decoding models, open
//! enums, checked ids, pages of results, and (feature `client`) the async
//! client. Sans-IO at its core: requests go out as `http::Request`,
//! responses come in as `http::Response`, so any HTTP client can carry them.
//!
//! A generated crate holds a copy of this module as its private `runtime`
//! module; items its generated code uses are `pub` here and stay private
//! there unless the crate re-exports them.

// Which helpers a generated crate calls depends on its spec (one without
// enums, ids or request bodies leaves some unused).
#![allow(dead_code)]

mod endpoint;
mod enums;
mod ids;
mod object;
mod page;
mod request;
mod response;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "mock")]
pub mod mock;

// A generated crate uses what its spec needs and may leave some unused.
#[allow(unused_imports)]
pub use endpoint::Endpoint;
#[allow(unused_imports)]
pub use enums::{deserialize_open_enum, UnknownValue};
#[allow(unused_imports)]
pub use ids::InvalidId;
#[allow(unused_imports)]
pub use object::{deserialize_object, Blank, Entry, Object};
#[allow(unused_imports)]
pub use page::Paginated;
#[allow(unused_imports)]
pub use request::{RequestBuilder, RequestError};
#[allow(unused_imports)]
pub use response::{ErrorResponse, RawBody, ResponseError, ResponseParser, SuccessBody};

// The macros, at `crate::runtime::name!` where generated code calls them;
// `#[macro_export]` puts them at the crate root.
#[allow(unused_imports)]
pub use crate::{deserialize_object, id_conversions, open_enum_traits};

// The macros name serde through here, so that they also work in a crate
// that has the runtime crate as its only dependency.
#[doc(hidden)]
#[allow(unused_imports)]
pub use serde;
