//! Open enums: enums whose values the server may extend. A value the crate
//! does not know decodes into the enum's fallback variant as an
//! [`UnknownValue`] instead of failing the whole response.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// An enum value the server sent that this version of the crate does not
/// know. It is kept exactly as received and serialized back unchanged; only
/// parsing creates one, so a known value never ends up here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    // Hidden: only generated code calls it (through `open_enum_traits!`,
    // also from a crate that includes code generated at build time), and a
    // caller's `UnknownValue` could hold a known value.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
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

/// `FromStr`, `Display`, `Serialize`, `Deserialize` and
/// [`Blank`](super::Blank) of an open enum, all through its `KNOWN` values
/// and `as_str`; `$fallback` is the variant that keeps a value it does not
/// know. The same for every such enum, so written once. Looking a value up
/// in `KNOWN` compares the same strings, in the same order, as a `match` on
/// them would.
///
/// Exported, hidden, so that code generated at build time into another
/// crate can call it; `$crate` is then the runtime crate.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_traits {
    ($name:ident, $fallback:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                let known = $name::KNOWN.iter().find(|known| known.as_str() == value);
                ::std::result::Result::Ok(match known {
                    ::std::option::Option::Some(known) => known.clone(),
                    ::std::option::Option::None => $name::$fallback($crate::runtime::UnknownValue::new(value)),
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::runtime::serde::Serialize for $name {
            fn serialize<S: $crate::runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_open_enum(deserializer, concat!("a ", stringify!($name), " string"))
            }
        }

        // Only a placeholder for a required field until decoding fills it.
        impl $crate::runtime::Blank for $name {
            fn blank() -> Self {
                $name::$fallback($crate::runtime::UnknownValue::new(""))
            }
        }
    };
}

/// Deserializes an open enum from a string without allocating for known
/// values, for `open_enum_traits!`; `expecting` names the enum in errors.
///
/// # Errors
///
/// The deserializer's error when the value is not a string.
pub fn deserialize_open_enum<'de, D, T>(deserializer: D, expecting: &'static str) -> Result<T, D::Error>
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

#[cfg(test)]
mod tests {
    use super::super::Blank;
    use super::*;

    /// An open enum as the generator writes one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Role {
        Owner,
        ReadOnly,
        Unknown(UnknownValue),
    }

    impl Role {
        const KNOWN: &'static [Role] = &[Role::Owner, Role::ReadOnly];

        fn as_str(&self) -> &str {
            match self {
                Role::Owner => "ORG_OWNER",
                Role::ReadOnly => "ORG_READ_ONLY",
                Role::Unknown(value) => value.as_str(),
            }
        }
    }

    open_enum_traits!(Role, Unknown);

    #[test]
    fn known_values_parse_to_their_variant() {
        for role in Role::KNOWN {
            assert_eq!(&role.as_str().parse::<Role>().expect("infallible"), role);
            assert_eq!(&serde_json::from_value::<Role>(role.as_str().into()).expect("decodes"), role);
        }
    }

    #[test]
    fn unknown_values_are_kept_as_sent() {
        let role: Role = serde_json::from_str(r#""ORG_QUANTUM_ADMIN""#).expect("decodes");
        assert_eq!(role, Role::Unknown(UnknownValue::new("ORG_QUANTUM_ADMIN")));
        assert_eq!(role.to_string(), "ORG_QUANTUM_ADMIN");
        assert_eq!(serde_json::to_string(&role).expect("encodes"), r#""ORG_QUANTUM_ADMIN""#);
        // Case matters on the wire.
        assert!(matches!("org_owner".parse::<Role>(), Ok(Role::Unknown(_))));
    }

    #[test]
    fn values_that_are_not_strings_are_errors() {
        let error = serde_json::from_str::<Role>("3").expect_err("not a string");
        assert_eq!(error.to_string(), "invalid type: integer `3`, expected a Role string at line 1 column 1");
    }

    #[test]
    fn the_blank_is_the_empty_unknown_value() {
        assert_eq!(<Role as Blank>::blank(), Role::Unknown(UnknownValue::new("")));
    }
}
