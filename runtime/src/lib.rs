//! The hand-written support code of the crates atlas-codegen generates:
//! building requests and reading responses (sans-IO), decoding models, open
//! enums, checked ids, and the async Atlas client (feature `client`).
//!
//! Everything lives in [`runtime`]. The generator copies `src/runtime/`
//! verbatim into every crate it generates, as that crate's private `runtime`
//! module, so that a generated crate depends on no crate of ours and its
//! users see only the types it re-exports. The same files therefore compile
//! twice: here as `atlas_codegen_runtime::runtime`, where fmt, clippy and the
//! unit tests check them, and as `<generated crate>::runtime`. That is why
//! they refer to each other through `super::` and `crate::runtime::`, never
//! through this crate's name, and why their examples are tests rather than
//! doctests.

pub mod runtime;
