//! The hand-written support code of the crates atlas-codegen generates:
//! building requests and reading responses (sans-IO), decoding models, open
//! enums, checked ids, the async Atlas client (feature `client`), and a mock
//! Atlas for tests (feature `mock`).
//!
//! Everything lives in [`runtime`]. It reaches users in two ways:
//!
//! - **Copied.** The generator copies `src/runtime/` verbatim into every
//!   crate it writes (`cargo codegen`), as that crate's private `runtime`
//!   module, so that a committed crate depends on no crate of ours and its
//!   users see only the types it re-exports.
//! - **Depended on.** Code a build script generates (`atlas_codegen::build`)
//!   lives in the user's crate, which depends on this crate instead: it
//!   brings the runtime and every crate the generated code names ([`serde`],
//!   [`serde_json`], [`http`], [`chrono`], and `regex` and `reqwest` with
//!   their features), so that the user lists only this crate and the
//!   generator. [`include_api!`] brings the generated modules in.
//!
//! The same files therefore compile twice: here as
//! `atlas_codegen_runtime::runtime`, where fmt, clippy and the unit tests
//! check them, and as `<generated crate>::runtime`. That is why they refer to
//! each other through `super::` and `crate::runtime::`, never through this
//! crate's name, why their macros name `$crate::runtime`, and why their
//! examples are tests rather than doctests.

pub mod runtime;

pub use chrono;
pub use http;
#[cfg(feature = "regex")]
pub use regex;
#[cfg(feature = "client")]
pub use reqwest;
pub use serde;
pub use serde_json;

/// Includes the API modules a build script generated with
/// `atlas_codegen::build::Builder`, here: `include_api!()` for the default
/// name (`atlas`), `include_api!("name")` for another `Builder::name`.
///
/// ```ignore
/// // src/lib.rs
/// mod atlas {
///     atlas_codegen_runtime::include_api!();
/// }
/// ```
#[macro_export]
macro_rules! include_api {
    () => {
        $crate::include_api!("atlas");
    };
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name, "/mod.rs"));
    };
}

/// Keeps the items it is given when this crate's `mock` feature is on, and
/// drops them otherwise: the `mock` module of code a build script generates
/// is wrapped in it, as a `cfg` in the user's crate cannot ask about a
/// feature of this one. Turning the feature on in `[dev-dependencies]` gives
/// the user's tests the mock and leaves it out of other builds.
#[cfg(feature = "mock")]
#[doc(hidden)]
#[macro_export]
macro_rules! if_mock {
    ($($item:item)*) => {
        $($item)*
    };
}

/// See the other definition: this one drops the items.
#[cfg(not(feature = "mock"))]
#[doc(hidden)]
#[macro_export]
macro_rules! if_mock {
    ($($item:item)*) => {};
}
