//! Checked ids: the error a validated id type such as an organization id
//! gives for a string it rejects, and the conversions every id type shares.

/// A string rejected by a validated id type such as an organization id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind}: it must match `{pattern}`")]
pub struct InvalidId {
    kind: &'static str,
    pattern: &'static str,
    value: String,
}

impl InvalidId {
    // Hidden: only generated id types call it (also from a crate that
    // includes code generated at build time).
    #[doc(hidden)]
    pub fn new(kind: &'static str, pattern: &'static str, value: String) -> Self {
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

/// The conversions of a checked id, all through its `new`, `as_str` and
/// the `String` it wraps: the same for every id type, so written once.
///
/// Exported, hidden, so that code generated at build time into another
/// crate can call it; `$crate` is then the runtime crate.
#[doc(hidden)]
#[macro_export]
macro_rules! id_conversions {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = $crate::runtime::InvalidId;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $name::new(value)
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::runtime::InvalidId;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                $name::new(value)
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::runtime::InvalidId;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// An id type as the generator writes one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct OrgId(String);

    impl OrgId {
        const PATTERN: &'static str = "^([a-f0-9]{24})$";

        fn new(value: impl Into<String>) -> Result<Self, InvalidId> {
            let value = value.into();
            if value.len() == 24 && value.bytes().all(|c| matches!(c, b'a'..=b'f' | b'0'..=b'9')) {
                Ok(OrgId(value))
            } else {
                Err(InvalidId::new("OrgId", Self::PATTERN, value))
            }
        }

        fn as_str(&self) -> &str {
            &self.0
        }

        fn into_string(self) -> String {
            self.0
        }
    }

    id_conversions!(OrgId);

    #[test]
    fn ids_convert_through_their_check() {
        let id: OrgId = "32b6e34b3d91647abb20e7b8".parse().expect("valid");
        assert_eq!(id.to_string(), "32b6e34b3d91647abb20e7b8");
        assert_eq!(AsRef::<str>::as_ref(&id), "32b6e34b3d91647abb20e7b8");
        assert_eq!(String::from(id.clone()), "32b6e34b3d91647abb20e7b8");
        assert_eq!(OrgId::try_from(String::from("32b6e34b3d91647abb20e7b8")), Ok(id));
        let error = OrgId::try_from("../admin").expect_err("invalid");
        assert_eq!((error.kind(), error.pattern(), error.value()), ("OrgId", OrgId::PATTERN, "../admin"));
        assert_eq!(error.to_string(), "`../admin` is not a valid OrgId: it must match `^([a-f0-9]{24})$`");
    }
}
