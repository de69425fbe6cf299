//! What a regeneration changes: two API surfaces compared, each difference
//! a [`Change`] with a rule and two verdicts, one on the wire and one for
//! the semver of the generated crate.
//!
//! - **wire** is `breaking` when a caller pinned to an API release (or a
//!   resource version) that existed before would now send a request the API
//!   rejects, or fail to read an answer it gets.
//! - **semver** is what the change means to Rust code compiled against the
//!   crate generated before: `major` when such code may stop compiling or
//!   behave differently, `minor` when the crate only gains items, `patch`
//!   when its API stays as it was.
//!
//! Descriptions are not compared, so a documentation-only change has no
//! changes. A keyword the rules do not know is reported as `unclassified`,
//! never dropped.

mod constraints;
mod operations;
mod render;
mod shapes;
mod types;
mod usage;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::surface::Surface;
use shapes::{Shapes, Typed};
use usage::Usage;

pub use render::{markdown, text};

/// The layout of the JSON report this generator writes.
pub const REPORT_FORMAT: u32 = 1;

/// What changed between two APIs. Readers ignore fields they do not know:
/// a field may be added within a format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The version of the report's layout.
    pub format: u32,
    /// The verdict on all changes: the most severe of each kind.
    pub verdict: Verdict,
    /// Every change, the most severe first; empty when the API did not change.
    pub changes: Vec<Change>,
}

/// The two verdicts, on one change or on all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// On the wire, for callers pinned to a release that existed before.
    pub wire: Wire,
    /// For Rust code built against the crate generated before.
    pub semver: Semver,
}

/// A change on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Wire {
    /// Requests and answers of existing callers still work.
    Compatible,
    /// A request of an existing caller may be rejected, or an answer not read.
    Breaking,
}

/// A change to the generated crate's API, in semver's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Semver {
    /// The Rust API is as it was.
    Patch,
    /// The Rust API only gains items.
    Minor,
    /// Code built against the crate before may not compile, or may behave differently.
    Major,
}

/// Which spec a change's pointer is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Side {
    /// The spec compared against (what was removed is only there).
    Old,
    /// The spec being generated.
    New,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What kind of change it is: a stable id.
    pub rule: Rule,
    /// Its effect on the wire.
    pub wire: Wire,
    /// Its effect on the generated crate's API.
    pub semver: Semver,
    /// The `operationId`s it touches.
    pub operations: Vec<String>,
    /// The API releases it touches.
    pub releases: Vec<String>,
    /// The JSON pointer of what changed.
    pub pointer: String,
    /// The spec the pointer is in.
    pub spec: Side,
    /// What changed, in a sentence.
    pub message: String,
}

/// The kinds of change, each with a stable id: the variant's name in
/// kebab-case (`OperationAdded` is `operation-added`). The README lists
/// them with their docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Rule {
    /// The spec has a new API release.
    ApiReleaseAdded,
    /// An API release is gone.
    ApiReleaseRemoved,
    /// The newest API release, which `latest` follows, is another.
    LatestMoved,
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// An operation (same method and path) has another Rust name.
    OperationRenamed,
    /// An operation is deprecated.
    OperationDeprecated,
    /// An operation is no longer deprecated.
    OperationUndeprecated,
    /// An operation's method or path changed.
    OperationPathChanged,
    /// The type of an operation's error bodies changed.
    ErrorTypeChanged,
    /// An operation's endpoint functions take their arguments in another order.
    ArgumentsReordered,
    /// A new optional parameter.
    ParameterAdded,
    /// A new required parameter.
    RequiredParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// A parameter is now required.
    ParameterBecameRequired,
    /// A parameter is now optional.
    ParameterBecameOptional,
    /// A parameter's type changed.
    ParameterTypeChanged,
    /// A new resource version of an operation.
    ResourceVersionAdded,
    /// A resource version is gone before its announced sunset, or without one.
    ResourceVersionRemoved,
    /// A resource version is gone after its announced sunset.
    ResourceVersionSunset,
    /// A resource version is deprecated.
    ResourceVersionDeprecated,
    /// A resource version is no longer deprecated.
    ResourceVersionUndeprecated,
    /// A deprecated resource version's sunset date is set or moved.
    ResourceVersionSunsetChanged,
    /// An API release sends another resource version of an operation.
    ReleaseResourceVersionChanged,
    /// A resource version's media type changed.
    MediaTypeChanged,
    /// A resource version takes a request body it did not.
    RequestBodyAdded,
    /// A resource version no longer takes a request body.
    RequestBodyRemoved,
    /// The type of a request body changed.
    RequestBodyTypeChanged,
    /// A request body is now required.
    RequestBodyBecameRequired,
    /// A request body is now optional.
    RequestBodyBecameOptional,
    /// The type of a success body changed.
    ResponseBodyTypeChanged,
    /// The documented success status changed.
    SuccessStatusChanged,
    /// A new named type.
    TypeAdded,
    /// A named type is gone.
    TypeRemoved,
    /// A named type (same schema) has another Rust name.
    TypeRenamed,
    /// A type is another kind of type (struct, enum, union, alias).
    TypeKindChanged,
    /// A type is deprecated.
    TypeDeprecated,
    /// A type is no longer deprecated.
    TypeUndeprecated,
    /// A new optional property.
    PropertyAdded,
    /// A new required property.
    RequiredPropertyAdded,
    /// A property is gone.
    PropertyRemoved,
    /// A property's type or format changed.
    PropertyTypeChanged,
    /// A property is now required.
    PropertyBecameRequired,
    /// A property is now optional.
    PropertyBecameOptional,
    /// A property may now be null.
    PropertyBecameNullable,
    /// A property may no longer be null.
    PropertyBecameNonNullable,
    /// A property is deprecated.
    PropertyDeprecated,
    /// A property is no longer deprecated.
    PropertyUndeprecated,
    /// An object now keeps properties it does not list.
    AdditionalPropertiesAdded,
    /// An object no longer keeps properties it does not list.
    AdditionalPropertiesRemoved,
    /// The type of an object's unlisted properties changed.
    AdditionalPropertiesTypeChanged,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value is gone.
    EnumValueRemoved,
    /// A new alternative of a union.
    UnionVariantAdded,
    /// An alternative of a union is gone.
    UnionVariantRemoved,
    /// An alternative of a union has another type or discriminator values.
    UnionVariantChanged,
    /// A union's discriminator property changed.
    UnionDiscriminatorChanged,
    /// The type an alias names changed.
    AliasTargetChanged,
    /// The Rust name of a property or enum value changed, or a field is boxed or unboxed.
    RustNameChanged,
    /// A new validated id type.
    IdAdded,
    /// A validated id type is gone.
    IdRemoved,
    /// The pattern an id must match changed.
    IdPatternChanged,
    /// A constraint the types do not show (`maxLength`, `pattern`, `format`, …) changed.
    ConstraintChanged,
    /// A keyword the rules do not know changed.
    Unclassified,
}

impl Rule {
    /// The rule's stable id, such as `operation-added`.
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// Every rule.
    pub fn all() -> impl Iterator<Item = Rule> {
        <Rule as strum::IntoEnumIterator>::iter()
    }
}

impl Report {
    /// A report of these changes, the most severe first.
    pub fn new(mut changes: Vec<Change>) -> Report {
        // Stable: changes of one severity keep the order they were found in.
        changes.sort_by(|a, b| b.semver.cmp(&a.semver).then(b.wire.cmp(&a.wire)));
        let verdict = Verdict {
            wire: changes.iter().map(|change| change.wire).max().unwrap_or(Wire::Compatible),
            semver: changes.iter().map(|change| change.semver).max().unwrap_or(Semver::Patch),
        };
        Report { format: REPORT_FORMAT, verdict, changes }
    }

    /// Whether the API did not change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares the API of the crate generated before with the one generated now.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let cx = Context { old, new, old_usage: Usage::of(old), new_usage: Usage::of(new), shapes: Shapes::default() };
    let mut changes = Vec::new();
    operations::compare_releases(&cx, &mut changes);
    operations::compare(&cx, &mut changes);
    types::compare(&cx, &mut changes);
    types::compare_ids(&cx, &mut changes);
    Report::new(changes)
}

/// Both surfaces, where each uses its types, and how their types compare.
struct Context<'a> {
    old: &'a Surface,
    new: &'a Surface,
    old_usage: Usage,
    new_usage: Usage,
    shapes: Shapes,
}

impl Context<'_> {
    /// Whether the API still takes what an old caller sends as `was`, now that it takes `is`.
    fn still_sent(&self, was: &str, is: &str) -> bool {
        self.shapes.takes(Typed { ty: is, surface: self.new }, Typed { ty: was, surface: self.old })
    }

    /// Whether an old caller that reads `was` still reads the `is` the API answers.
    fn still_read(&self, was: &str, is: &str) -> bool {
        self.shapes.takes(Typed { ty: was, surface: self.old }, Typed { ty: is, surface: self.new })
    }

    /// Whether a type used as `used` by old callers still works for them as `is`.
    fn still_works(&self, used: &usage::Use, was: &str, is: &str) -> bool {
        (!used.request || self.still_sent(was, is)) && (!used.response || self.still_read(was, is))
    }
}

impl Change {
    /// A change at `pointer` in the new spec, touching nothing yet.
    fn new(rule: Rule, wire: Wire, semver: Semver, pointer: &str, message: String) -> Change {
        Change {
            rule,
            wire,
            semver,
            operations: Vec::new(),
            releases: Vec::new(),
            pointer: pointer.to_owned(),
            spec: Side::New,
            message,
        }
    }

    /// The pointer is in the old spec: what it names is gone.
    fn in_old(mut self) -> Change {
        self.spec = Side::Old;
        self
    }

    /// The operations and releases it touches.
    fn touching(mut self, operations: Vec<String>, releases: Vec<String>) -> Change {
        self.operations = operations;
        self.releases = releases;
        self
    }
}

/// The entries of `old` that are gone from `new` under their name but are
/// there under another, by `same`: each paired with that other name, which
/// pairs with one old entry at most.
fn renames<'a, T>(
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
    same: impl Fn(&T, &T) -> bool,
) -> BTreeMap<&'a str, &'a str> {
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, was) in old.iter().filter(|(name, _)| !new.contains_key(*name)) {
        let other = new.iter().find(|(other, is)| {
            !old.contains_key(*other) && same(was, is) && !renamed.values().any(|taken| taken == other)
        });
        if let Some((other, _)) = other {
            renamed.insert(name, other);
        }
    }
    renamed
}

/// The change of a `deprecated` flag from `was` to `is`, if it changed:
/// deprecating is `minor` (a `#[deprecated]` more), undoing it `patch`.
fn deprecation(was: bool, is: bool, rules: [Rule; 2], subject: &str, pointer: &str) -> Option<Change> {
    let [deprecated, undeprecated] = rules;
    match (was, is) {
        (false, true) => {
            Some(Change::new(deprecated, Wire::Compatible, Semver::Minor, pointer, format!("{subject} is deprecated")))
        }
        (true, false) => {
            let message = format!("{subject} is no longer deprecated");
            Some(Change::new(undeprecated, Wire::Compatible, Semver::Patch, pointer, message))
        }
        _ => None,
    }
}

/// `breaking` when `breaks` holds.
fn wire_if(breaks: bool) -> Wire {
    if breaks {
        Wire::Breaking
    } else {
        Wire::Compatible
    }
}

/// `major` when `breaks` holds, else `otherwise`.
fn major_if(breaks: bool, otherwise: Semver) -> Semver {
    if breaks {
        Semver::Major
    } else {
        otherwise
    }
}
