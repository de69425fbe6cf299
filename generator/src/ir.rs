//! The generator's own model of an API: what lowering produces, what the
//! passes rewrite and what the emitters read. Nothing here knows `openapiv3`.

use std::collections::BTreeMap;
use std::fmt;

/// A dated API or resource version, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiDate {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl ApiDate {
    /// Parses `YYYY-MM-DD` with a real calendar month and day.
    pub fn parse(text: &str) -> Option<ApiDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &text[range];
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days_in_month {
            return None;
        }
        Some(ApiDate { year, month: month as u8, day: day as u8 })
    }

    /// The module name of this release: `v2023_01_01`.
    pub fn module_name(self) -> String {
        crate::naming::version_module(&self.to_string())
    }
}

impl fmt::Display for ApiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The whole API as the emitters see it.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The API releases to emit a module for, oldest first.
    pub releases: Vec<ApiDate>,
    /// Operations, ordered by Rust name.
    pub operations: Vec<Operation>,
    /// Named types, keyed by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Validated string types for path parameters, keyed by Rust name.
    pub ids: BTreeMap<String, IdType>,
}

/// HTTP methods OpenAPI can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One method on one path.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` as in the spec.
    pub operation_id: String,
    /// The function name (snake case).
    pub rust_name: String,
    /// JSON pointer to the operation object.
    pub pointer: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/api/atlas/v2/orgs/{orgId}/invites`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true` on the operation.
    pub deprecated: bool,
    /// `x-sunset` on the operation.
    pub sunset: Option<ApiDate>,
    /// Path and query parameters, in spec order.
    pub parameters: Vec<Parameter>,
    /// The name of the struct of its optional query and header parameters,
    /// when it has any (`ListOrgInvitesQuery`).
    pub query_struct: Option<String>,
    /// Resource versions, oldest first.
    pub versions: Vec<ResourceVersion>,
    /// The schema every error response shares, if they share one.
    pub error_type: Option<TypeRef>,
    /// Documented error statuses and their descriptions.
    pub errors: Vec<(u16, String)>,
}

impl Operation {
    /// The resource version this operation has at `release`: the newest one
    /// not after it. `None` when the operation did not exist yet.
    pub fn version_at(&self, release: ApiDate) -> Option<&ResourceVersion> {
        self.versions.iter().rev().find(|version| version.date <= release)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (snake case).
    pub rust_name: String,
    /// Path or query.
    pub location: ParameterLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// Its value type.
    pub ty: TypeRef,
    /// The validated id type for a patterned path parameter.
    pub id_type: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

impl Parameter {
    /// Whether it is a field of the operation's query struct: an optional
    /// query or header parameter (path parameters are always required).
    pub fn is_optional(&self) -> bool {
        self.location != ParameterLocation::Path && !self.required
    }
}

/// One resource version of an operation: its media type and body types.
#[derive(Debug, Clone)]
pub struct ResourceVersion {
    /// The version date.
    pub date: ApiDate,
    /// Media type sent as `Accept` (and `Content-Type` with a body).
    pub media_type: String,
    /// The request body for this version.
    pub request: Option<RequestBody>,
    /// The success response.
    pub response: SuccessResponse,
    /// `x-sunset` on this version's response media type.
    pub sunset: Option<ApiDate>,
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Body type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
}

/// The documented 2xx response.
#[derive(Debug, Clone)]
pub struct SuccessResponse {
    /// Status code.
    pub status: u16,
    /// Body type; `None` for a response without a body.
    pub ty: Option<TypeRef>,
    /// `description`.
    pub description: String,
    /// Another 2xx status of the operation has no body (200 or 204, say):
    /// the success type is `Option` of the body type.
    pub empty_allowed: bool,
    /// The body is not JSON (`+csv`, `+gzip`) and is returned as received.
    pub raw: bool,
}

/// A reference to a type, as fields, bodies and parameters use them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A named type in `Api::types`.
    Named(String),
    /// An anonymous type the hoisting pass still has to name.
    Inline(Box<InlineType>),
    /// `string`.
    String,
    /// `string` with `format: date-time`.
    DateTime,
    /// `boolean`.
    Boolean,
    /// `integer` with its width.
    Integer(IntegerKind),
    /// `number`.
    Number,
    /// `array`.
    Array(Box<TypeRef>),
    /// `object` with `additionalProperties` of one type.
    Map(Box<TypeRef>),
    /// A free-form object.
    Object,
    /// Any JSON value.
    Any,
    /// `nullable: true` where there is no field to make optional: array
    /// items, map values, union variants, bodies and aliases.
    Nullable(Box<TypeRef>),
}

/// Integer widths from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum IntegerKind {
    I32,
    I64,
}

/// An inline schema waiting for a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InlineType {
    /// Where it is in the spec.
    pub pointer: String,
    /// The name it gets unless it is deduplicated with another or renamed.
    pub suggested_name: String,
    /// The name taken from where it sits (parent and property), used when
    /// the suggested name belongs to another type already.
    pub structural_name: String,
    /// What it is.
    pub kind: TypeKind,
    /// `description`.
    pub description: Option<String>,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Name in the spec (a component name, or the suggested name of a hoisted type).
    pub spec_name: String,
    /// Every place in the spec the type comes from (several after deduplication).
    pub pointers: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Struct, enum or alias.
    pub kind: TypeKind,
}

/// The shape of a named or inline type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Vec<Field>),
    /// A string enum; values in spec order.
    Enum(Vec<EnumValue>),
    /// Another type under this name (`type: array` at the top level, say).
    Alias(TypeRef),
    /// `oneOf`/`anyOf` (or a `discriminator` base): one of several types.
    Union(Union),
}

/// One of several types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Union {
    /// The property whose value says which variant a value is; `None` when
    /// the spec gives no discriminator and variants are tried in order.
    pub discriminator: Option<String>,
    /// The alternatives, in spec order (by tag value with a discriminator).
    pub variants: Vec<Variant>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Variant {
    /// The variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// The discriminator values that select it (empty without a discriminator).
    pub tags: Vec<String>,
    /// Needs `Box` to break a cycle.
    pub boxed: bool,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name.
    pub rust_name: String,
    /// Value type.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `description`.
    pub description: Option<String>,
    /// `pattern`, documented but not enforced on decode.
    pub pattern: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Needs `Box` to break a cycle.
    pub boxed: bool,
    /// The object's other properties (`additionalProperties` beside
    /// `properties`): a map flattened into the struct; `wire_name` is empty.
    pub flatten: bool,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumValue {
    /// The string on the wire.
    pub wire: String,
    /// The variant name.
    pub rust_name: String,
}

/// A string that must match a pattern before it can be sent, such as a
/// 24-hex-digit id in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdType {
    /// Rust name.
    pub name: String,
    /// The name of the path parameters it types.
    pub wire_name: String,
    /// The spec's pattern.
    pub pattern: String,
    /// How values are checked: plain code for a single character class with
    /// a length, else `None` and the generated crate uses the `regex` crate.
    pub check: Option<PatternCheck>,
    /// Description of the first parameter that uses it.
    pub description: Option<String>,
    /// Pointers of the parameters that use it.
    pub pointers: Vec<String>,
}

/// A pattern the generator turns into plain code: one character class
/// repeated between `min` and `max` times, anchored at both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternCheck {
    /// Inclusive character ranges.
    pub ranges: Vec<(char, char)>,
    /// Fewest characters.
    pub min: usize,
    /// Most characters.
    pub max: usize,
}
