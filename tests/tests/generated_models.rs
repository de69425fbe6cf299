//! The generated models against real payloads: every example in the spec
//! (taken from Atlas's documentation) decodes and encodes back to the same
//! JSON, and the role enums survive values they do not know.

use atlas_admin_invitations::models::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn round_trip<T: DeserializeOwned + Serialize>(example: &Value, at: &str) {
    let decoded: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{at}: does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(&encoded, example, "{at}: changed in a round trip");
}

/// Decodes and re-encodes an example as the schema it documents.
fn round_trip_schema(schema: &str, array: bool, example: &Value, at: &str) {
    macro_rules! dispatch {
        ($($name:ident),*) => {
            match (schema, array) {
                $(
                    (stringify!($name), false) => round_trip::<$name>(example, at),
                    (stringify!($name), true) => round_trip::<Vec<$name>>(example, at),
                )*
                _ => panic!("{at}: the example documents `{schema}`, which this test does not know; add it"),
            }
        };
    }
    dispatch!(
        ApiError,
        GroupInvitation,
        GroupInvitationRequest,
        GroupInvitationUpdateRequest,
        OrganizationInvitation,
        OrganizationInvitationRequest,
        OrganizationInvitationUpdateRequest
    );
}

/// `(pointer, schema name, is array, example)` for every media type in the
/// spec that has both a schema and an example.
fn spec_examples() -> Vec<(String, String, bool, Value)> {
    let text = std::fs::read_to_string(atlas_tests::repo_root().join("spec/atlas-invitations.yaml")).expect("spec");
    let spec: Value = serde_yaml_ng::from_str(&text).expect("spec is YAML");
    let mut found = Vec::new();
    collect_examples(&spec, String::new(), &mut found);
    found
}

fn collect_examples(value: &Value, pointer: String, found: &mut Vec<(String, String, bool, Value)>) {
    let Value::Object(object) = value else {
        if let Value::Array(items) = value {
            for (index, item) in items.iter().enumerate() {
                collect_examples(item, format!("{pointer}/{index}"), found);
            }
        }
        return;
    };
    if let (Some(schema), Some(example)) = (object.get("schema"), object.get("example")) {
        let reference =
            |s: &Value| s.get("$ref").and_then(Value::as_str).map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
        let (name, array) = match (reference(schema), schema.get("items").and_then(reference)) {
            (Some(name), _) => (name, false),
            (None, Some(name)) => (name, true),
            (None, None) => panic!("{pointer}: example of an inline schema"),
        };
        found.push((pointer.clone(), name, array, example.clone()));
    }
    for (key, child) in object {
        collect_examples(child, format!("{pointer}/{key}"), found);
    }
}

#[test]
fn every_spec_example_round_trips() {
    let examples = spec_examples();
    // Request and response examples of the twelve operations, plus the error bodies.
    assert!(examples.len() >= 20, "expected the documented examples, found {}", examples.len());
    for (pointer, schema, array, example) in &examples {
        round_trip_schema(schema, *array, example, pointer);
    }
}

#[test]
fn response_names_decode_even_outside_the_documented_pattern() {
    // The documented name pattern is `^[\p{L}\p{N}\-_.(),:&@+']{1,64}$`: Unicode
    // letters are in, spaces and `/` are out. Responses are never checked
    // against it, so what the server sends decodes either way.
    for name in [
        "Überweisung GmbH (EU)",
        "株式会社",
        "name with / slash and a very long tail that is more than sixty-four characters long",
    ] {
        let invitation: OrganizationInvitation =
            serde_json::from_value(json!({"orgName": name, "id": "not-hex"})).expect("decodes");
        assert_eq!(invitation.org_name, name);
        assert_eq!(invitation.id.as_deref(), Some("not-hex"));
    }
}

#[test]
fn an_unknown_role_round_trips_unchanged() {
    let payload = json!({
        "orgName": "acme",
        "roles": ["ORG_OWNER", "ORG_QUANTUM_ADMIN"],
        "groupRoleAssignments": [{"groupId": "32b6e34b3d91647abb20e7b8", "groupRole": "GROUP_TIME_TRAVELLER"}]
    });
    let invitation: OrganizationInvitation = serde_json::from_value(payload.clone()).expect("decodes");
    let roles = invitation.roles.clone().expect("roles");
    assert_eq!(roles[0], OrgRole::OrgOwner);
    match &roles[1] {
        OrgRole::Unknown(value) => assert_eq!(value.as_str(), "ORG_QUANTUM_ADMIN"),
        other => panic!("expected the fallback, got {other:?}"),
    }
    assert_eq!(roles[1].to_string(), "ORG_QUANTUM_ADMIN");
    let assignment = &invitation.group_role_assignments.as_ref().expect("assignments")[0];
    assert_eq!(assignment.group_role.as_ref().map(ProjectRole::as_str), Some("GROUP_TIME_TRAVELLER"));
    assert_eq!(serde_json::to_value(&invitation).expect("encodes"), payload);
}

#[test]
fn known_roles_never_land_in_the_fallback() {
    assert_eq!(OrgRole::KNOWN.len(), 7, "the seven organization roles");
    assert_eq!(ProjectRole::KNOWN.len(), 11, "the eleven project roles");
    for role in OrgRole::KNOWN {
        let parsed: OrgRole = role.as_str().parse().expect("infallible");
        assert_eq!(&parsed, role);
        assert!(!matches!(parsed, OrgRole::Unknown(_)));
        let decoded: OrgRole = serde_json::from_value(json!(role.as_str())).expect("decodes");
        assert_eq!(&decoded, role);
    }
    for role in ProjectRole::KNOWN {
        let decoded: ProjectRole = serde_json::from_value(json!(role.as_str())).expect("decodes");
        assert_eq!(&decoded, role);
        assert!(!matches!(decoded, ProjectRole::Unknown(_)));
    }
    // Case matters on the wire: a near miss is unknown, and kept as sent.
    let near: OrgRole = "org_owner".parse().expect("infallible");
    assert!(matches!(&near, OrgRole::Unknown(v) if v.as_str() == "org_owner"));
}

#[test]
fn absent_optional_fields_are_omitted_and_timestamps_are_typed() {
    let request = GroupInvitationRequest::default().with_roles(vec![ProjectRole::GroupOwner]);
    assert_eq!(serde_json::to_value(&request).expect("encodes"), json!({"roles": ["GROUP_OWNER"]}));
    let invitation: GroupInvitation =
        serde_json::from_value(json!({"createdAt": "2025-05-04T09:42:00Z"})).expect("decodes");
    let created = invitation.created_at.expect("timestamp");
    assert_eq!(created.timestamp(), 1_746_351_720);
    assert!(serde_json::from_value::<GroupInvitation>(json!({"createdAt": "yesterday"})).is_err());
}

/// `ApiError` and its parts as serde's derive would decode them. The
/// generated models decode through the runtime's `deserialize_struct!`
/// instead, which must agree.
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

#[test]
fn models_decode_exactly_as_serde_derive_would() {
    let cases = [
        r#"{"error": 404, "errorCode": "NOT_FOUND"}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": "gone", "reason": "Not Found", "parameters": [{"a": 1}]}"#,
        r#"{"errorCode": "NOT_FOUND", "error": 404, "somethingNew": {"nested": [1, 2]}}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": null}"#,
        r#"{"error": 400, "errorCode": "INVALID", "badRequestDetail": {"fields": [{"description": "d", "field": "f"}]}}"#,
        // An escaped key arrives as an owned string rather than a borrowed one.
        "{\"err\\u006Fr\": 404, \"errorCode\": \"NOT_FOUND\"}",
        r#"{"error": 404}"#,
        r#"{"errorCode": "NOT_FOUND"}"#,
        r#"{}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND", "error": 405}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND", "detail": null, "detail": "twice"}"#,
        r#"{"error": "404", "errorCode": "NOT_FOUND"}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND", "badRequestDetail": {"fields": [{"field": "f"}]}}"#,
        r#"{"error": 404, "errorCode": "NOT_FOUND""#,
        r#"404"#,
        r#"null"#,
    ];
    for case in cases {
        // The two sets of types differ only in the prefix of their names.
        let generated = serde_json::from_str::<ApiError>(case).map(|ok| format!("{ok:?}")).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<DerivedApiError>(case)
            .map(|ok| format!("{ok:?}").replace("Derived", ""))
            .map_err(|e| e.to_string().replace("Derived", ""));
        assert_eq!(generated, derived, "{case}");
        // From a `Value` too, whose keys are owned strings.
        if let Ok(value) = serde_json::from_str::<Value>(case) {
            let generated = serde_json::from_value::<ApiError>(value.clone())
                .map(|ok| format!("{ok:?}"))
                .map_err(|e| e.to_string());
            let derived = serde_json::from_value::<DerivedApiError>(value)
                .map(|ok| format!("{ok:?}").replace("Derived", ""))
                .map_err(|e| e.to_string().replace("Derived", ""));
            assert_eq!(generated, derived, "{case} as a value");
        }
    }
}

#[test]
fn models_decode_from_objects_only() {
    // serde's derive also accepts a struct as an array of its fields in
    // order; Atlas sends objects, and models decode only those.
    let error = serde_json::from_str::<ApiError>(r#"[null, null, 404, "NOT_FOUND", null, null]"#)
        .expect_err("an array is not a model");
    assert_eq!(error.to_string(), "invalid type: sequence, expected struct ApiError at line 1 column 1");
}
