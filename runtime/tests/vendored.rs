//! The runtime as a generated crate holds it: `src/runtime/` mounted as the
//! private `runtime` module of another crate, called through
//! `crate::runtime::…` by code shaped like the generator's. Building this
//! also checks that the copy compiles without warnings where much of it is
//! unused.

#[path = "../src/runtime/mod.rs"]
mod runtime;

/// What a generated crate's models look like.
mod models {
    use serde::de::MapAccess;

    use crate::runtime::{Entry, UnknownValue};

    #[derive(Clone, Debug, PartialEq)]
    pub struct Result {
        pub error_code: String,
        pub detail: Option<String>,
        pub role: Option<Role>,
    }

    impl crate::runtime::Object for Result {
        const REQUIRED: &'static [&'static str] = &["errorCode"];

        fn blank() -> Self {
            Result { error_code: crate::runtime::Blank::blank(), detail: None, role: None }
        }

        fn read<'de, A: MapAccess<'de>>(&mut self, entry: Entry<'_, A>) -> ::std::result::Result<(), A::Error> {
            match entry.key() {
                "errorCode" => entry.read(&mut self.error_code),
                "detail" => entry.read(&mut self.detail),
                "role" => entry.read(&mut self.role),
                _ => entry.skip(),
            }
        }
    }

    crate::runtime::deserialize_object!(Result);

    #[derive(Clone, Debug, PartialEq)]
    pub enum Role {
        Owner,
        Unknown(UnknownValue),
    }

    impl Role {
        pub const KNOWN: &'static [Role] = &[Role::Owner];

        pub fn as_str(&self) -> &str {
            match self {
                Role::Owner => "OWNER",
                Role::Unknown(value) => value.as_str(),
            }
        }
    }

    crate::runtime::open_enum_traits!(Role, Unknown);
}

/// What a generated crate's ids look like.
mod ids {
    #[derive(Clone, Debug, PartialEq)]
    pub struct OrgId(String);

    impl OrgId {
        pub fn new(value: impl Into<String>) -> Result<Self, crate::runtime::InvalidId> {
            let value = value.into();
            if !value.is_empty() && value.bytes().all(|c| c.is_ascii_hexdigit()) {
                Ok(OrgId(value))
            } else {
                Err(crate::runtime::InvalidId::new("OrgId", "^[0-9a-f]+$", value))
            }
        }

        pub fn as_str(&self) -> &str {
            &self.0
        }

        pub fn into_string(self) -> String {
            self.0
        }
    }

    crate::runtime::id_conversions!(OrgId);
}

/// What a generated crate's endpoint functions look like.
fn get_org(org: &ids::OrgId) -> Result<runtime::Endpoint<models::Result, models::Result>, runtime::RequestError> {
    crate::runtime::RequestBuilder::new("getOrg", http::Method::GET, "application/vnd.atlas.2023-01-01+json")
        .literal("/api/atlas/v2/orgs/")
        .segment(org.as_str())
        .build(200, crate::runtime::SuccessBody::Json)
}

#[test]
fn generated_code_builds_and_decodes_through_the_copy() {
    let org: ids::OrgId = "32b6e34b3d91647abb20e7b8".parse().expect("valid");
    assert!("not hex".parse::<ids::OrgId>().is_err());
    let endpoint = get_org(&org).expect("request");
    assert_eq!(endpoint.request().uri(), "/api/atlas/v2/orgs/32b6e34b3d91647abb20e7b8");
    let response = http::Response::builder()
        .status(200)
        .body(r#"{"errorCode": "X", "role": "NEW", "other": [1]}"#)
        .expect("response");
    let decoded = endpoint.parse_response(&response).expect("decodes");
    assert_eq!(decoded.error_code, "X");
    assert_eq!(decoded.role.as_ref().map(models::Role::as_str), Some("NEW"));
    let error = serde_json::from_str::<models::Result>("{}").expect_err("missing");
    assert_eq!(error.to_string(), "missing field `errorCode` at line 1 column 2");
}
