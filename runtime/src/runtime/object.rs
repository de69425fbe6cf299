//! Decoding models. A generated struct implements [`Object`]: its name, its
//! required keys, the value decoding starts from, and which field each key
//! fills. [`deserialize_object!`] turns that into `Deserialize`, decoding
//! JSON objects exactly as serde's derive would.
//!
//! Not the derive itself: on the whole Atlas API the derive's per-struct
//! field enum, visitor and sequence form were most of the crate's compile
//! time and memory. And not a field-list macro: with one `match` arm per
//! key, a new optional property changes one line of a model's decoding.
//! Models are JSON objects, so only the map form is decoded.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A model that decodes from a JSON object, one property at a time.
///
/// The generator writes an implementation per struct, and
/// `deserialize_object!` for its `Deserialize`:
///
/// ```ignore
/// impl crate::runtime::Object for ApiError {
///     const REQUIRED: &'static [&'static str] = &["error", "errorCode"];
///
///     fn blank() -> Self {
///         ApiError {
///             detail: None,
///             error: crate::runtime::Blank::blank(),
///             error_code: crate::runtime::Blank::blank(),
///         }
///     }
///
///     fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
///         match entry.key() {
///             "detail" => entry.read(&mut self.detail),
///             "error" => entry.read(&mut self.error),
///             "errorCode" => entry.read(&mut self.error_code),
///             _ => entry.skip(),
///         }
///     }
/// }
///
/// crate::runtime::deserialize_object!(ApiError);
/// ```
pub trait Object: Sized {
    /// The wire names of the fields that are not `Option`s, in the order of
    /// the struct's fields: a missing one is an error, and the first missing
    /// one is the one serde's derive would report.
    const REQUIRED: &'static [&'static str] = &[];

    /// The value decoding starts from: every `Option` field `None`, every
    /// other field a [`Blank`] placeholder that decoding replaces.
    fn blank() -> Self;

    /// Reads one property into the field its [`Entry::key`] names, with
    /// exactly one of [`Entry::read`], [`Entry::other`] or [`Entry::skip`].
    ///
    /// # Errors
    ///
    /// The value's own decoding error.
    fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error>;
}

/// One property of an object being decoded: its key, and its value not yet read.
#[must_use = "an entry must be read, kept as another property or skipped"]
pub struct Entry<'a, A> {
    key: &'a str,
    map: &'a mut A,
    /// The fields given so far, to catch one given again.
    given: &'a mut Given,
}

impl<'a, 'de, A: MapAccess<'de>> Entry<'a, A> {
    /// The property's name, unescaped.
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// Decodes the value into a field.
    ///
    /// # Errors
    ///
    /// The value's decoding error.
    pub fn read<T: Deserialize<'de>>(self, slot: &mut T) -> Result<(), A::Error> {
        // A repeat is known before its value is read, where the derive reports it.
        if !self.given.insert(std::ptr::from_mut(slot).addr()) {
            // `de::Error::duplicate_field` wants a `&'static str`; this is its message.
            return Err(de::Error::custom(format_args!("duplicate field `{}`", self.key)));
        }
        *slot = self.map.next_value()?;
        Ok(())
    }

    /// Decodes the value into the map of properties the struct has no field
    /// for. Not a field: as with serde's `flatten`, a key that comes again
    /// replaces its earlier value.
    ///
    /// # Errors
    ///
    /// The value's decoding error.
    pub fn other<V: Deserialize<'de>, M: Extend<(String, V)>>(self, map: &mut M) -> Result<(), A::Error> {
        let value = self.map.next_value()?;
        map.extend(std::iter::once((self.key.to_owned(), value)));
        Ok(())
    }

    /// Ignores the value: a property this version of the crate does not know.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the value is malformed.
    pub fn skip(self) -> Result<(), A::Error> {
        self.map.next_value::<IgnoredAny>().map(|IgnoredAny| ())
    }
}

/// Decodes an [`Object`] from a map, as serde's derive would decode the
/// struct: unknown keys skipped, a field's key given twice a "duplicate
/// field" error, an absent `Option` field `None`, an absent required field a
/// "missing field" error.
///
/// # Errors
///
/// Those above, a value's own decoding error, and "invalid type" for
/// anything but a map (a sequence too: models are JSON objects).
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
) -> Result<T, D::Error> {
    // No field list: `T::read` knows the keys, and JSON does not ask.
    deserializer.deserialize_struct(name, &[], ObjectVisitor { name, object: PhantomData })
}

struct ObjectVisitor<T> {
    /// The struct's name, as errors show it ("expected struct ApiError").
    name: &'static str,
    object: PhantomData<fn() -> T>,
}

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::blank();
        let mut given = Given::new(&mut object);
        let mut required = Required::new(T::REQUIRED.len());
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let Some(name) = key.as_str() else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            object.read(Entry { key: name, map: &mut map, given: &mut given })?;
            if let Some(index) = T::REQUIRED.iter().position(|required| *required == name) {
                required.mark(index);
            }
        }
        match T::REQUIRED.iter().enumerate().find(|(index, _)| !required.is_marked(*index)) {
            Some((_, missing)) => Err(de::Error::missing_field(missing)),
            None => Ok(object),
        }
    }
}

/// The fields of one object given so far, each by where its slot is in
/// the object: every field has its own place, and a bit per place is
/// cheaper to test than comparing keys. Not the fields' values: an
/// `Option` field given as `null` is `None`, yet was given.
struct Given {
    /// The object's address.
    base: usize,
    /// A bit per byte offset, for objects of up to 512 bytes.
    near: [u64; 8],
    /// The offsets past those, in larger objects.
    far: Vec<usize>,
}

impl Given {
    fn new<T>(object: &mut T) -> Self {
        Given { base: std::ptr::from_mut(object).addr(), near: [0; 8], far: Vec::new() }
    }

    /// Records the field whose slot is at `slot`; `false` when it was given already.
    fn insert(&mut self, slot: usize) -> bool {
        let offset = slot.wrapping_sub(self.base);
        if let Some(word) = self.near.get_mut(offset / 64) {
            let bit = 1 << (offset % 64);
            let new = *word & bit == 0;
            *word |= bit;
            return new;
        }
        if self.far.contains(&offset) {
            return false;
        }
        self.far.push(offset);
        true
    }
}

/// Which of an object's required fields were given.
enum Required {
    /// Up to 64, as bits.
    Few(u64),
    Many(Vec<bool>),
}

impl Required {
    fn new(count: usize) -> Self {
        if count <= 64 {
            Required::Few(0)
        } else {
            Required::Many(vec![false; count])
        }
    }

    fn mark(&mut self, index: usize) {
        match self {
            Required::Few(bits) => *bits |= 1 << index,
            Required::Many(flags) => flags[index] = true,
        }
    }

    fn is_marked(&self, index: usize) -> bool {
        match self {
            Required::Few(bits) => bits & (1 << index) != 0,
            Required::Many(flags) => flags[index],
        }
    }
}

/// An object key, borrowed from the input when the deserializer lends it;
/// owned only when it must be (an escaped key, the keys of a
/// `serde_json::Value`).
#[derive(Debug, PartialEq)]
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
    /// Not text (bytes that are not UTF-8, a field index): skipped. JSON
    /// keys are always text.
    Other,
}

impl Key<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Key::Borrowed(key) => Some(key),
            Key::Owned(key) => Some(key),
            Key::Other => None,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Key<'de>, E> {
        Ok(Key::Other)
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, key: &'de [u8]) -> Result<Key<'de>, E> {
        Ok(std::str::from_utf8(key).map_or(Key::Other, Key::Borrowed))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key<'de>, E> {
        Ok(std::str::from_utf8(key).map_or(Key::Other, |key| Key::Owned(key.to_owned())))
    }

    fn visit_byte_buf<E: de::Error>(self, key: Vec<u8>) -> Result<Key<'de>, E> {
        Ok(String::from_utf8(key).map_or(Key::Other, Key::Owned))
    }
}

/// `Deserialize` of an [`Object`] through [`deserialize_object`](deserialize_object()),
/// and its [`Blank`] through `Object::blank`.
///
/// Exported, hidden, so that code generated at build time into another
/// crate can call it; `$crate` is then the runtime crate.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_object {
    ($name:ident) => {
        #[allow(deprecated)] // Deprecated models still decode.
        impl<'de> $crate::runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_object(deserializer, stringify!($name))
            }
        }

        // Here rather than as a blanket impl over `Object`, which would
        // conflict with `Blank for Box<T>`.
        #[allow(deprecated)]
        impl $crate::runtime::Blank for $name {
            fn blank() -> Self {
                <$name as $crate::runtime::Object>::blank()
            }
        }
    };
}

/// A placeholder a required field holds while its object is decoded, until
/// the decoding replaces it. Never seen outside: an object whose required
/// field is missing is an error, not a blank.
pub trait Blank {
    /// The placeholder.
    fn blank() -> Self;
}

impl<T> Blank for Option<T> {
    fn blank() -> Self {
        None
    }
}

impl Blank for String {
    fn blank() -> Self {
        String::new()
    }
}

impl Blank for bool {
    fn blank() -> Self {
        false
    }
}

impl Blank for i32 {
    fn blank() -> Self {
        0
    }
}

impl Blank for i64 {
    fn blank() -> Self {
        0
    }
}

impl Blank for f64 {
    fn blank() -> Self {
        0.0
    }
}

impl<T> Blank for Vec<T> {
    fn blank() -> Self {
        Vec::new()
    }
}

impl<K, V> Blank for BTreeMap<K, V> {
    fn blank() -> Self {
        BTreeMap::new()
    }
}

impl Blank for serde_json::Value {
    fn blank() -> Self {
        serde_json::Value::Null
    }
}

impl Blank for serde_json::Map<String, serde_json::Value> {
    fn blank() -> Self {
        serde_json::Map::new()
    }
}

impl Blank for chrono::DateTime<chrono::Utc> {
    /// The Unix epoch.
    fn blank() -> Self {
        chrono::DateTime::default()
    }
}

impl<T: Blank> Blank for Box<T> {
    fn blank() -> Self {
        Box::new(T::blank())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    use super::*;
    use crate::runtime::UnknownValue;

    /// An open enum as the generator writes one.
    #[derive(Clone, Debug, PartialEq)]
    enum Role {
        Owner,
        Member,
        Unknown(UnknownValue),
    }

    impl Role {
        const KNOWN: &'static [Role] = &[Role::Owner, Role::Member];

        fn as_str(&self) -> &str {
            match self {
                Role::Owner => "OWNER",
                Role::Member => "MEMBER",
                Role::Unknown(value) => value.as_str(),
            }
        }
    }

    crate::runtime::open_enum_traits!(Role, Unknown);

    // Models as the generator writes them.

    #[derive(Clone, Debug, PartialEq)]
    struct ApiError {
        bad_request_detail: Option<BadRequestDetail>,
        detail: Option<String>,
        error: i32,
        error_code: String,
        parameters: Option<Vec<serde_json::Map<String, Value>>>,
        reason: Option<String>,
    }

    impl Object for ApiError {
        const REQUIRED: &'static [&'static str] = &["error", "errorCode"];

        fn blank() -> Self {
            ApiError {
                bad_request_detail: None,
                detail: None,
                error: Blank::blank(),
                error_code: Blank::blank(),
                parameters: None,
                reason: None,
            }
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "badRequestDetail" => entry.read(&mut self.bad_request_detail),
                "detail" => entry.read(&mut self.detail),
                "error" => entry.read(&mut self.error),
                "errorCode" => entry.read(&mut self.error_code),
                "parameters" => entry.read(&mut self.parameters),
                "reason" => entry.read(&mut self.reason),
                _ => entry.skip(),
            }
        }
    }

    crate::runtime::deserialize_object!(ApiError);

    #[derive(Clone, Debug, Default, PartialEq)]
    struct BadRequestDetail {
        fields: Option<Vec<FieldViolation>>,
    }

    impl Object for BadRequestDetail {
        fn blank() -> Self {
            Self::default()
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "fields" => entry.read(&mut self.fields),
                _ => entry.skip(),
            }
        }
    }

    crate::runtime::deserialize_object!(BadRequestDetail);

    #[derive(Clone, Debug, PartialEq)]
    struct FieldViolation {
        description: String,
        field: String,
    }

    impl Object for FieldViolation {
        const REQUIRED: &'static [&'static str] = &["description", "field"];

        fn blank() -> Self {
            FieldViolation { description: Blank::blank(), field: Blank::blank() }
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "description" => entry.read(&mut self.description),
                "field" => entry.read(&mut self.field),
                _ => entry.skip(),
            }
        }
    }

    crate::runtime::deserialize_object!(FieldViolation);

    /// Required fields of every kind that needs a [`Blank`]: an enum, a
    /// timestamp, a nested object, a boxed one.
    #[derive(Clone, Debug, PartialEq)]
    struct Invitation {
        created_at: chrono::DateTime<chrono::Utc>,
        detail: BadRequestDetail,
        parent: Box<FieldViolation>,
        role: Role,
        roles: Option<Vec<Role>>,
        teams: Option<Vec<String>>,
    }

    impl Object for Invitation {
        const REQUIRED: &'static [&'static str] = &["createdAt", "detail", "parent", "role"];

        fn blank() -> Self {
            Invitation {
                created_at: Blank::blank(),
                detail: Blank::blank(),
                parent: Blank::blank(),
                role: Blank::blank(),
                roles: None,
                teams: None,
            }
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "createdAt" => entry.read(&mut self.created_at),
                "detail" => entry.read(&mut self.detail),
                "parent" => entry.read(&mut self.parent),
                "role" => entry.read(&mut self.role),
                "roles" => entry.read(&mut self.roles),
                "teams" => entry.read(&mut self.teams),
                _ => entry.skip(),
            }
        }
    }

    crate::runtime::deserialize_object!(Invitation);

    /// Keeps the properties it has no field for (`additionalProperties`).
    #[derive(Clone, Debug, PartialEq)]
    struct Limits {
        name: String,
        additional_properties: BTreeMap<String, i64>,
    }

    impl Object for Limits {
        const REQUIRED: &'static [&'static str] = &["name"];

        fn blank() -> Self {
            Limits { name: Blank::blank(), additional_properties: Blank::blank() }
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "name" => entry.read(&mut self.name),
                _ => entry.other(&mut self.additional_properties),
            }
        }
    }

    crate::runtime::deserialize_object!(Limits);

    /// Keeps the properties it has no field for as JSON values.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Tags {
        id: Option<String>,
        additional_properties: serde_json::Map<String, Value>,
    }

    impl Object for Tags {
        fn blank() -> Self {
            Self::default()
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> Result<(), A::Error> {
            match entry.key() {
                "id" => entry.read(&mut self.id),
                _ => entry.other(&mut self.additional_properties),
            }
        }
    }

    crate::runtime::deserialize_object!(Tags);

    // The same models as serde's derive decodes them; only the `Derived`
    // prefix of their names differs, so their `Debug` output compares.

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // Only read through Debug.
    struct DerivedApiError {
        #[serde(rename = "badRequestDetail", default)]
        bad_request_detail: Option<DerivedBadRequestDetail>,
        #[serde(default)]
        detail: Option<String>,
        error: i32,
        #[serde(rename = "errorCode")]
        error_code: String,
        #[serde(default)]
        parameters: Option<Vec<serde_json::Map<String, Value>>>,
        #[serde(default)]
        reason: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct DerivedBadRequestDetail {
        #[serde(default)]
        fields: Option<Vec<DerivedFieldViolation>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct DerivedFieldViolation {
        description: String,
        field: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct DerivedInvitation {
        #[serde(rename = "createdAt")]
        created_at: chrono::DateTime<chrono::Utc>,
        detail: DerivedBadRequestDetail,
        parent: Box<DerivedFieldViolation>,
        role: Role,
        #[serde(default)]
        roles: Option<Vec<Role>>,
        #[serde(default)]
        teams: Option<Vec<String>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct DerivedLimits {
        name: String,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, i64>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct DerivedTags {
        #[serde(default)]
        id: Option<String>,
        #[serde(flatten)]
        additional_properties: serde_json::Map<String, Value>,
    }

    type Outcome = Result<String, String>;

    fn ours<T: Debug>(decoded: Result<T, serde_json::Error>) -> Outcome {
        decoded.map(|ok| format!("{ok:?}")).map_err(|e| e.to_string())
    }

    fn derived<T: Debug>(decoded: Result<T, serde_json::Error>) -> Outcome {
        decoded.map(|ok| format!("{ok:?}").replace("Derived", "")).map_err(|e| e.to_string().replace("Derived", ""))
    }

    /// Decodes `case` as `T` and as its derived twin `D` from a string (keys
    /// lent), a reader (keys copied) and a `Value` (keys owned), and checks
    /// that each gives the same result or error, which it returns.
    fn same<T: DeserializeOwned + Debug, D: DeserializeOwned + Debug>(case: &str) -> Outcome {
        let outcome = ours(serde_json::from_str::<T>(case));
        assert_eq!(outcome, derived(serde_json::from_str::<D>(case)), "{case}");
        let from_reader = ours(serde_json::from_reader::<_, T>(case.as_bytes()));
        assert_eq!(from_reader, derived(serde_json::from_reader::<_, D>(case.as_bytes())), "{case} from a reader");
        if let Ok(value) = serde_json::from_str::<Value>(case) {
            let from_value = ours(serde_json::from_value::<T>(value.clone()));
            assert_eq!(from_value, derived(serde_json::from_value::<D>(value)), "{case} as a value");
        }
        outcome
    }

    #[test]
    fn objects_decode_exactly_as_serde_derive_would() {
        let cases = [
            r#"{"error": 404, "errorCode": "NOT_FOUND"}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": "gone", "reason": "Not Found", "parameters": [{"a": 1}]}"#,
            r#"{"errorCode": "NOT_FOUND", "error": 404, "somethingNew": {"nested": [1, 2]}}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": null}"#,
            r#"{"error": 400, "errorCode": "INVALID", "badRequestDetail": {"fields": [{"description": "d", "field": "f"}]}}"#,
            // An escaped key arrives as an owned string rather than a borrowed one.
            "{\"err\\u006Fr\": 404, \"errorCode\": \"NOT_FOUND\"}",
            "{\"error\": 404, \"err\\u006Fr\": 405, \"errorCode\": \"NOT_FOUND\"}",
            r#"{"error": 404}"#,
            r#"{"errorCode": "NOT_FOUND"}"#,
            r#"{}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "error": 405}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": null, "detail": "twice"}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": "once", "detail": null}"#,
            r#"{"error": "404", "errorCode": "NOT_FOUND"}"#,
            r#"{"error": null, "errorCode": "NOT_FOUND"}"#,
            r#"{"error": 404.5, "errorCode": "NOT_FOUND"}"#,
            r#"{"error": 4294967296, "errorCode": "NOT_FOUND"}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "badRequestDetail": {"fields": [{"field": "f"}]}}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "badRequestDetail": {"fields": [{"field": 1, "description": "d"}]}}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "badRequestDetail": {"fields": null, "extra": [{}]}}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND", "parameters": [1]}"#,
            r#"{"new": {"deep": [null, {"x": [true, 1.5, "s"]}]}, "error": 1, "errorCode": "E", "more": null}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND""#,
            r#"{"error": 404, "errorCode": "NOT_FOUND","#,
            r#"{"error": 4"#,
            r#"{"err"#,
            r#"{"error" 404}"#,
            r#"{"error": 404, "errorCode": "NOT_FOUND"} trailing"#,
            "",
            r#"404"#,
            r#""a string""#,
            r#"true"#,
            r#"null"#,
        ];
        for case in cases {
            let _ = same::<ApiError, DerivedApiError>(case);
        }
        // The cases above do exercise every branch.
        assert!(same::<ApiError, DerivedApiError>(cases[5]).is_ok());
        for (case, message) in [
            (cases[6], "duplicate field `error` at line 1 column 27"),
            (cases[11], "duplicate field `detail` at line 1 column 65"),
            (cases[7], "missing field `errorCode` at line 1 column 14"),
            (cases[9], "missing field `error` at line 1 column 2"),
        ] {
            assert_eq!(same::<ApiError, DerivedApiError>(case), Err(message.to_owned()), "{case}");
        }
    }

    #[test]
    fn required_fields_of_every_kind_decode_as_derived() {
        let full = json!({
            "createdAt": "2025-05-04T09:42:00Z",
            "detail": {"fields": [{"description": "d", "field": "f"}]},
            "parent": {"description": "p", "field": "q"},
            "role": "OWNER",
            "roles": ["MEMBER", "NEW_ROLE"],
            "teams": null,
        });
        let decoded = same::<Invitation, DerivedInvitation>(&full.to_string());
        assert!(decoded.is_ok_and(|ok| ok.contains("Unknown(UnknownValue(\"NEW_ROLE\"))")));
        for field in ["createdAt", "detail", "parent", "role"] {
            let mut partial = full.clone();
            partial.as_object_mut().expect("an object").remove(field);
            let missing = same::<Invitation, DerivedInvitation>(&partial.to_string());
            assert!(missing.is_err_and(|error| error.starts_with(&format!("missing field `{field}`"))));
        }
        for (field, wrong) in
            [("createdAt", json!("yesterday")), ("role", json!(1)), ("roles", json!("OWNER")), ("parent", json!("p"))]
        {
            let mut partial = full.clone();
            partial[field] = wrong;
            assert!(same::<Invitation, DerivedInvitation>(&partial.to_string()).is_err());
        }
    }

    #[test]
    fn sequences_are_not_objects() {
        // The derive also takes a struct as the array of its fields; models
        // decode only from objects.
        for (case, message) in [
            (r#"[404, "NOT_FOUND"]"#, "invalid type: sequence, expected struct ApiError at line 1 column 1"),
            ("[]", "invalid type: sequence, expected struct ApiError at line 1 column 2"),
            (
                r#"{"error": 404, "errorCode": "NOT_FOUND", "badRequestDetail": []}"#,
                "invalid type: sequence, expected struct BadRequestDetail at line 1 column 63",
            ),
        ] {
            let error = serde_json::from_str::<ApiError>(case).expect_err("not an object");
            assert_eq!(error.to_string(), message);
            let value = serde_json::from_str::<Value>(case).expect("JSON");
            let error = serde_json::from_value::<ApiError>(value).expect_err("not an object");
            assert!(error.to_string().starts_with("invalid type: sequence, expected struct "), "{error}");
        }
    }

    #[test]
    fn other_properties_are_kept_as_flatten_keeps_them() {
        for case in [
            r#"{"name": "a"}"#,
            r#"{"name": "a", "x": 1, "y": -2}"#,
            r#"{"y": 2, "name": "a", "x": 1}"#,
            // A repeated other property is not a field: the last one wins.
            r#"{"name": "a", "x": 1, "x": 2}"#,
            r#"{"name": "a", "name": "b"}"#,
            r#"{"x": 1}"#,
        ] {
            let _ = same::<Limits, DerivedLimits>(case);
        }
        let limits = serde_json::from_str::<Limits>(r#"{"name": "a", "x": 1, "x": 2, "w": 3}"#).expect("decodes");
        assert_eq!(limits.additional_properties, BTreeMap::from([("w".to_owned(), 3), ("x".to_owned(), 2)]));
        // The derive reads the value only once it has the whole object, so
        // only the message agrees, not the position.
        let error = serde_json::from_str::<Limits>(r#"{"name": "a", "x": "one"}"#).expect_err("not a number");
        assert_eq!(error.to_string(), r#"invalid type: string "one", expected i64 at line 1 column 24"#);
        let derived = serde_json::from_str::<DerivedLimits>(r#"{"name": "a", "x": "one"}"#).expect_err("not a number");
        assert!(derived.to_string().starts_with(r#"invalid type: string "one", expected i64"#), "{derived}");

        for case in [
            r#"{}"#,
            r#"{"id": "1", "a": {"b": [1, null]}, "c": "d"}"#,
            r#"{"a": 1, "a": {"x": true}}"#,
            r#"{"id": null, "e": null}"#,
            r#"{"id": null, "id": "2"}"#,
        ] {
            let _ = same::<Tags, DerivedTags>(case);
        }
        let tags = serde_json::from_str::<Tags>(r#"{"a": 1, "id": "7", "a": {"x": true}}"#).expect("decodes");
        assert_eq!(tags.id.as_deref(), Some("7"));
        assert_eq!(Value::Object(tags.additional_properties), json!({"a": {"x": true}}));
    }

    #[test]
    fn keys_are_borrowed_when_the_input_lends_them() {
        let key = |json: &'static str| Key::deserialize(&mut serde_json::Deserializer::from_str(json)).expect("a key");
        assert_eq!(key(r#""errorCode""#), Key::Borrowed("errorCode"));
        assert_eq!(key(r#""err\u006Fr""#), Key::Owned("error".to_owned()));
        let from_value = Key::deserialize(Value::String("error".to_owned())).expect("a key");
        assert_eq!(from_value, Key::Owned("error".to_owned()));
        let bytes = serde::de::value::BytesDeserializer::<serde_json::Error>::new(&[0xff, 0xfe]);
        assert_eq!(Key::deserialize(bytes).expect("a key"), Key::Other);
    }

    #[test]
    fn blanks_are_empty() {
        assert_eq!(<Option<i32> as Blank>::blank(), None);
        assert_eq!((String::blank(), bool::blank(), i32::blank(), i64::blank()), (String::new(), false, 0, 0));
        assert_eq!(f64::blank().to_bits(), 0.0f64.to_bits());
        assert_eq!(<Vec<u8> as Blank>::blank(), Vec::<u8>::new());
        assert_eq!(<BTreeMap<String, i64> as Blank>::blank(), BTreeMap::new());
        assert_eq!(Value::blank(), Value::Null);
        assert_eq!(<serde_json::Map<String, Value> as Blank>::blank(), serde_json::Map::new());
        assert_eq!(<chrono::DateTime<chrono::Utc> as Blank>::blank().timestamp(), 0);
        assert_eq!(<Box<BadRequestDetail> as Blank>::blank(), Box::new(BadRequestDetail { fields: None }));
        assert_eq!(Role::blank(), Role::Unknown(UnknownValue::new("")));
    }
}
