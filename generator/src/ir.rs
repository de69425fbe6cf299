//! The generator's own model of an API: what lowering produces, what the
//! passes rewrite and what the emitters read. Nothing here knows `openapiv3`
//! or the JSON document.
//!
//! The model is generic over how it refers to a named type. Lowering refers
//! to a component schema by its Rust name and to an inline schema by the
//! schema itself ([`Target`]); the hoisting pass names every inline schema
//! and turns the model into [`Api`], where a reference is a type name. So an
//! emitter cannot meet a type without a name: the type system rules it out.

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
}

impl fmt::Display for ApiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// How lowering refers to a type: a component schema by its Rust name, or an
/// inline schema that the hoisting pass still has to name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A schema of `#/components/schemas`, by Rust name.
    Schema(String),
    /// An anonymous schema.
    Inline(Box<InlineType>),
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
    pub kind: TypeKind<Target>,
    /// `description`.
    pub description: Option<String>,
}

/// The whole API. `R` is how a named type is referred to: a type name once
/// the passes have run (the default), a [`Target`] while lowering.
#[derive(Debug, Clone)]
pub struct Api<R = String> {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The API releases to emit a module for, oldest first.
    pub releases: Vec<Release>,
    /// Operations, ordered by Rust name.
    pub operations: Vec<Operation<R>>,
    /// Named types. Lowering lists them as found; the name check makes the
    /// names unique and orders them by name.
    pub types: Vec<TypeDef<R>>,
    /// Validated string types for path parameters, ordered by name.
    pub ids: Vec<IdType>,
    /// The structs that are pages of results, ordered by name; found by
    /// [`crate::passes::pages`] once every type has its name.
    pub pages: Vec<PageType>,
}

impl<R> Default for Api<R> {
    fn default() -> Self {
        Api {
            title: String::new(),
            description: None,
            releases: Vec::new(),
            operations: Vec::new(),
            types: Vec::new(),
            ids: Vec::new(),
            pages: Vec::new(),
        }
    }
}

impl Api {
    /// The type named `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|def| def.name.as_str().cmp(name)).ok().map(|index| &self.types[index])
    }

    /// The newest release, which `latest` follows.
    pub fn newest_release(&self) -> Option<&Release> {
        self.releases.last()
    }

    /// Whether the API deprecates a type or a property.
    pub fn deprecates_types(&self) -> bool {
        self.types.iter().any(|def| {
            def.deprecated
                || matches!(&def.kind, TypeKind::Struct(object) if object.fields.iter().any(|field| field.deprecated))
        })
    }

    /// Whether an id's pattern is checked with the `regex` crate.
    pub fn needs_regex(&self) -> bool {
        self.ids.iter().any(|id| id.check.is_none())
    }

    /// How the struct named `name` is a page of results, if it is one.
    pub fn page_type(&self, name: &str) -> Option<&PageType> {
        self.pages.binary_search_by(|page| page.name.as_str().cmp(name)).ok().map(|index| &self.pages[index])
    }

    /// The operations that answer a page of results at some resource version.
    pub fn paged_operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().filter(|operation| operation.versions.iter().any(|version| version.paged))
    }
}

/// One API release: a date and the names the crate gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The release date.
    pub date: ApiDate,
    /// Its module, `v2023_01_01`.
    pub module: String,
    /// Its client accessor struct, `V2023_01_01`.
    pub accessor: String,
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
    /// Upper-case name, as on the wire and as `http::Method`'s constants.
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

/// One method on one path, in one response format.
#[derive(Debug, Clone)]
pub struct Operation<R = String> {
    /// `operationId` as in the spec (or made from method and path).
    pub operation_id: String,
    /// The operation's Rust name: its module, and its function in release modules.
    pub rust_name: String,
    /// JSON pointer to the operation object.
    pub pointer: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/api/atlas/v2/orgs/{orgId}/invites`.
    pub path: String,
    /// The path template cut into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true` on the operation.
    pub deprecated: bool,
    /// Parameters: path parameters as the template has them, then the
    /// others as the spec lists them. Endpoint functions take the required
    /// ones as arguments in this order, and the optional ones in the query
    /// struct.
    pub parameters: Vec<Parameter<R>>,
    /// The struct of its optional query and header parameters, when it has
    /// any (`ListOrgInvitesQuery`).
    pub query_struct: Option<String>,
    /// The caller may ask Atlas to wrap the answer (`envelope=true`), and
    /// the parser then unwraps it.
    pub envelope: bool,
    /// Resource versions, oldest first.
    pub versions: Vec<ResourceVersion<R>>,
    /// The type of error bodies: the schema every error response shares, or
    /// any JSON value.
    pub error_type: Type<R>,
    /// Documented error statuses and their descriptions.
    pub errors: Vec<(u16, String)>,
}

impl<R> Operation<R> {
    /// The resource version this operation has at `release`: the newest one
    /// not after it. `None` when the operation did not exist yet.
    pub fn version_at(&self, release: ApiDate) -> Option<&ResourceVersion<R>> {
        self.versions.iter().rev().find(|version| version.date <= release)
    }

    /// The parameters that are arguments of the endpoint functions.
    pub fn arguments(&self) -> impl Iterator<Item = &Parameter<R>> {
        self.parameters.iter().filter(|parameter| !parameter.is_optional())
    }

    /// The parameters that are fields of the query struct.
    pub fn optional_parameters(&self) -> impl Iterator<Item = &Parameter<R>> {
        self.parameters.iter().filter(|parameter| parameter.is_optional())
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text as it is in the template.
    Literal(String),
    /// The value of the parameter at this index of [`Operation::parameters`].
    Parameter(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Parameter<R = String> {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (snake case).
    pub rust_name: String,
    /// JSON pointer to the parameter object.
    pub pointer: String,
    /// Path, query or header.
    pub location: ParameterLocation,
    /// Whether the caller must give it (path parameters always).
    pub required: bool,
    /// Its value type.
    pub ty: Type<R>,
    /// The validated id type of a patterned path parameter.
    pub id_type: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

impl<R> Parameter<R> {
    /// Whether it is a field of the operation's query struct rather than an
    /// argument: an optional query or header parameter.
    pub fn is_optional(&self) -> bool {
        self.location != ParameterLocation::Path && !self.required
    }
}

/// One resource version of an operation: its media type and body types.
#[derive(Debug, Clone)]
pub struct ResourceVersion<R = String> {
    /// The version date.
    pub date: ApiDate,
    /// Media type sent as `Accept` (and `Content-Type` with a body).
    pub media_type: String,
    /// JSON pointer to the media type of the success response.
    pub pointer: String,
    /// The endpoint function of this version, `list_org_invites_2023_01_01`.
    pub function: String,
    /// The request body.
    pub request: Option<RequestBody<R>>,
    /// The success response.
    pub response: SuccessResponse<R>,
    /// Set when the API deprecates the operation at this version.
    pub deprecation: Option<Deprecation>,
    /// The answer is one page of results ([`PageType`]), so the client can
    /// fetch every page. Set by [`crate::passes::pages`].
    pub paged: bool,
}

/// The API deprecates an operation at a resource version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecation {
    /// When the resource version is removed (`x-sunset`), if announced.
    pub sunset: Option<ApiDate>,
}

/// A struct that is one page of results: the success body of a paged
/// operation (see [`crate::passes::pages`] for the rule). The generated
/// crate implements the runtime's `Paginated` for it from these fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageType {
    /// The struct's name.
    pub name: String,
    /// The `results` property: the items of the page.
    pub results: PageField,
    /// The type of one item.
    pub item: Type,
    /// The `links` property.
    pub links: PageField,
    /// The `rel` property of the links' struct, `next` on the link to the next page.
    pub rel: PageField,
}

/// A property paging reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageField {
    /// The Rust field.
    pub rust_name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct RequestBody<R = String> {
    /// Body type.
    pub ty: Type<R>,
    /// Whether the caller must send one.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
}

/// The documented 2xx response.
#[derive(Debug, Clone)]
pub struct SuccessResponse<R = String> {
    /// Status code.
    pub status: u16,
    /// What its body is.
    pub body: SuccessBody<R>,
    /// `description`.
    pub description: String,
}

/// What a success response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuccessBody<R = String> {
    /// Nothing: the success value is `()`.
    Empty,
    /// A JSON body of this type.
    Json(Type<R>),
    /// A JSON body of this type, or none (another 2xx status of the
    /// operation has no body): the success value is an `Option`.
    JsonOrEmpty(Type<R>),
    /// A body that is not JSON (`+csv`, `+gzip`), returned as received.
    Raw,
}

/// A type as fields, bodies and parameters use it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Type<R = String> {
    /// A named type.
    Named(R),
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
    Array(Box<Type<R>>),
    /// `object` with `additionalProperties` of one type.
    Map(Box<Type<R>>),
    /// A free-form object.
    Object,
    /// Any JSON value.
    Any,
    /// `nullable: true` where there is no field to make optional: array
    /// items, map values, union variants, bodies and aliases.
    Nullable(Box<Type<R>>),
}

impl<R> Type<R> {
    /// The same type with every reference mapped by `f`, innermost first.
    pub fn map<S>(self, f: &mut impl FnMut(R) -> S) -> Type<S> {
        match self {
            Type::Named(target) => Type::Named(f(target)),
            Type::String => Type::String,
            Type::DateTime => Type::DateTime,
            Type::Boolean => Type::Boolean,
            Type::Integer(kind) => Type::Integer(kind),
            Type::Number => Type::Number,
            Type::Array(items) => Type::Array(Box::new(items.map(f))),
            Type::Map(values) => Type::Map(Box::new(values.map(f))),
            Type::Object => Type::Object,
            Type::Any => Type::Any,
            Type::Nullable(inner) => Type::Nullable(Box::new(inner.map(f))),
        }
    }

    /// The named type this one holds in place (not behind a `Vec` or map).
    pub fn direct_target(&self) -> Option<&R> {
        match self {
            Type::Named(target) => Some(target),
            Type::Nullable(inner) => inner.direct_target(),
            _ => None,
        }
    }
}

/// A type in the notation of the plan and the API description: a type's
/// name, `string`, `datetime`, `boolean`, `integer(i32)`, `integer(i64)`,
/// `number`, `object`, `any`, `[T]` (array), `{string: T}` (map), `T?`
/// (nullable). Named types are the words that start with a capital.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Named(name) => f.write_str(name),
            Type::String => f.write_str("string"),
            Type::DateTime => f.write_str("datetime"),
            Type::Boolean => f.write_str("boolean"),
            Type::Integer(IntegerKind::I32) => f.write_str("integer(i32)"),
            Type::Integer(IntegerKind::I64) => f.write_str("integer(i64)"),
            Type::Number => f.write_str("number"),
            Type::Array(items) => write!(f, "[{items}]"),
            Type::Map(values) => write!(f, "{{string: {values}}}"),
            Type::Object => f.write_str("object"),
            Type::Any => f.write_str("any"),
            Type::Nullable(inner) => write!(f, "{inner}?"),
        }
    }
}

/// Integer widths from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum IntegerKind {
    I32,
    I64,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef<R = String> {
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
    /// Named by the generator (an inline schema), not by the spec.
    pub inline: bool,
    /// Struct, enum, union or alias.
    pub kind: TypeKind<R>,
}

/// The shape of a named or inline type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind<R = String> {
    /// An object with known properties.
    Struct(Struct<R>),
    /// A string enum.
    Enum(Enum),
    /// Another type under this name (`type: array` at the top level, say).
    Alias(Type<R>),
    /// `oneOf`/`anyOf` (or a `discriminator` base): one of several types.
    Union(Union<R>),
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Struct<R = String> {
    /// The properties, ordered by wire name.
    pub fields: Vec<Field<R>>,
    /// The object's other properties (`additionalProperties` beside
    /// `properties`), kept in a map.
    pub others: Option<OtherProperties<R>>,
}

impl<R> Struct<R> {
    /// Whether every field may be left out, so the struct has a `Default`.
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|field| !field.required)
    }
}

/// The map a struct keeps its other properties in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OtherProperties<R = String> {
    /// The field's Rust name.
    pub rust_name: String,
    /// The type of their values; [`Type::Any`] for a free-form object.
    pub values: Type<R>,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Field<R = String> {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name.
    pub rust_name: String,
    /// JSON pointer to the property's schema.
    pub pointer: String,
    /// Value type.
    pub ty: Type<R>,
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
}

impl<R> Field<R> {
    /// Whether the Rust field is an `Option`: not required, or nullable.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum, open to values the spec does not list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Enum {
    /// The listed values, in spec order.
    pub values: Vec<EnumValue>,
    /// The variant that keeps any other value.
    pub fallback: String,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumValue {
    /// The string on the wire.
    pub wire: String,
    /// The variant name.
    pub rust_name: String,
}

/// One of several types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Union<R = String> {
    /// The property whose value says which variant a value is; `None` when
    /// the spec gives no discriminator and variants are tried in order.
    pub discriminator: Option<String>,
    /// The alternatives, in spec order (by tag value with a discriminator).
    pub variants: Vec<Variant<R>>,
    /// The variant that keeps a value none of the others fits.
    pub fallback: String,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Variant<R = String> {
    /// The variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: Type<R>,
    /// The discriminator values that select it (empty without a discriminator).
    pub tags: Vec<String>,
    /// Needs `Box` to break a cycle.
    pub boxed: bool,
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

/// Maps every type reference of a part of the model.
pub(crate) trait MapRefs<R, S> {
    /// The part with every reference mapped by `f`.
    type Output;
    fn map_refs(self, f: &mut impl FnMut(R) -> S) -> Self::Output;
}

impl<R, S> MapRefs<R, S> for TypeKind<R> {
    type Output = TypeKind<S>;
    fn map_refs(self, f: &mut impl FnMut(R) -> S) -> TypeKind<S> {
        match self {
            TypeKind::Struct(Struct { fields, others }) => TypeKind::Struct(Struct {
                fields: fields.into_iter().map(|field| field.map_refs(f)).collect(),
                others: others
                    .map(|others| OtherProperties { rust_name: others.rust_name, values: others.values.map(f) }),
            }),
            TypeKind::Enum(values) => TypeKind::Enum(values),
            TypeKind::Alias(target) => TypeKind::Alias(target.map(f)),
            TypeKind::Union(Union { discriminator, variants, fallback }) => TypeKind::Union(Union {
                discriminator,
                variants: variants
                    .into_iter()
                    .map(|v| Variant { rust_name: v.rust_name, ty: v.ty.map(f), tags: v.tags, boxed: v.boxed })
                    .collect(),
                fallback,
            }),
        }
    }
}

impl<R, S> MapRefs<R, S> for Field<R> {
    type Output = Field<S>;
    fn map_refs(self, f: &mut impl FnMut(R) -> S) -> Field<S> {
        Field {
            wire_name: self.wire_name,
            rust_name: self.rust_name,
            pointer: self.pointer,
            ty: self.ty.map(f),
            required: self.required,
            nullable: self.nullable,
            read_only: self.read_only,
            description: self.description,
            pattern: self.pattern,
            deprecated: self.deprecated,
            boxed: self.boxed,
        }
    }
}

impl<R, S> MapRefs<R, S> for TypeDef<R> {
    type Output = TypeDef<S>;
    fn map_refs(self, f: &mut impl FnMut(R) -> S) -> TypeDef<S> {
        TypeDef {
            name: self.name,
            spec_name: self.spec_name,
            pointers: self.pointers,
            description: self.description,
            deprecated: self.deprecated,
            inline: self.inline,
            kind: self.kind.map_refs(f),
        }
    }
}

impl<R, S> MapRefs<R, S> for Operation<R> {
    type Output = Operation<S>;
    fn map_refs(self, f: &mut impl FnMut(R) -> S) -> Operation<S> {
        let parameters = self
            .parameters
            .into_iter()
            .map(|p| Parameter {
                wire_name: p.wire_name,
                rust_name: p.rust_name,
                pointer: p.pointer,
                location: p.location,
                required: p.required,
                ty: p.ty.map(f),
                id_type: p.id_type,
                description: p.description,
            })
            .collect();
        let versions = self
            .versions
            .into_iter()
            .map(|v| ResourceVersion {
                date: v.date,
                media_type: v.media_type,
                pointer: v.pointer,
                function: v.function,
                request: v.request.map(|r| RequestBody {
                    ty: r.ty.map(f),
                    required: r.required,
                    description: r.description,
                }),
                response: SuccessResponse {
                    status: v.response.status,
                    body: match v.response.body {
                        SuccessBody::Empty => SuccessBody::Empty,
                        SuccessBody::Json(ty) => SuccessBody::Json(ty.map(f)),
                        SuccessBody::JsonOrEmpty(ty) => SuccessBody::JsonOrEmpty(ty.map(f)),
                        SuccessBody::Raw => SuccessBody::Raw,
                    },
                    description: v.response.description,
                },
                deprecation: v.deprecation,
                paged: v.paged,
            })
            .collect();
        Operation {
            operation_id: self.operation_id,
            rust_name: self.rust_name,
            pointer: self.pointer,
            method: self.method,
            path: self.path,
            path_segments: self.path_segments,
            summary: self.summary,
            description: self.description,
            deprecated: self.deprecated,
            parameters,
            query_struct: self.query_struct,
            envelope: self.envelope,
            versions,
            error_type: self.error_type.map(f),
            errors: self.errors,
        }
    }
}

/// The generated crate as a package: what its manifest, README and example
/// program say, from the settings and the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The package name, `atlas-admin-invitations`.
    pub name: String,
    /// The name code uses for the crate, `atlas_admin_invitations`.
    pub lib_name: String,
    /// The package version.
    pub version: String,
    /// One sentence on what the crate is.
    pub description: String,
    /// Its licence, an SPDX expression.
    pub license: Option<String>,
    /// Where its source lives.
    pub repository: Option<String>,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// crates.io categories.
    pub categories: Vec<String>,
    /// Whether the client has an accessor per API release.
    pub client_accessors: bool,
    /// The call the README, the crate docs and the example program show.
    pub example: Option<ExampleCall>,
    /// What the generated code is part of.
    pub layout: Layout,
}

/// What the generated code is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A crate of its own (`cargo codegen`): manifest, README, record,
    /// example, and a copy of the runtime, so that it depends on no crate
    /// of ours.
    #[default]
    Crate,
    /// Modules a build script writes under `OUT_DIR`, which the user's crate
    /// includes anywhere (`atlas_codegen_runtime::include_api!`). They reach
    /// the runtime, and the crates they name, through the runtime crate,
    /// and the API's own modules by relative paths.
    Included {
        /// Whether to generate the client module (the runtime crate's
        /// `client` feature must then be on).
        client: bool,
    },
}

impl Layout {
    /// Whether the code has a client module (a crate's behind its `client` feature).
    pub fn has_client(self) -> bool {
        match self {
            Layout::Crate => true,
            Layout::Included { client } => client,
        }
    }
}

/// An operation the docs and the example program call: one whose arguments
/// are all path parameters, so a command line can give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCall {
    /// Its index in [`Api::operations`].
    pub operation: usize,
    /// The release module it is called through: the newest.
    pub release: usize,
}
