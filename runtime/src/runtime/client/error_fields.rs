//! Atlas's common error fields, read leniently from any error body.
//!
//! Atlas answers every error with `{error, errorCode, detail, reason,
//! parameters, badRequestDetail: {fields: [{field, description}]}}`, but a
//! spec may type that body differently or not at all, and a proxy may answer
//! instead. So the client reads these fields from the body itself, whatever
//! type an endpoint decodes its errors into, and a field that is missing or
//! of another type is just absent: reading them never fails.

use serde_json::Value;

use crate::runtime::response::unwrap_envelope;

/// One field of a request that Atlas rejected, from the error body's
/// `badRequestDetail.fields`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldViolation {
    /// Path to the field in the request body; empty when Atlas did not say.
    pub field: String,
    /// Why the field was rejected; empty when Atlas did not say.
    pub description: String,
}

/// The common fields of one error body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ErrorFields {
    pub(crate) error_code: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) parameters: Vec<Value>,
    pub(crate) field_violations: Vec<FieldViolation>,
}

impl ErrorFields {
    /// Reads the fields of `body`, from its `content` when the caller asked
    /// Atlas for an `envelope`.
    pub(crate) fn read(body: &[u8], envelope: bool) -> Self {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return ErrorFields::default();
        };
        let value = if envelope { unwrap_envelope(value) } else { value };
        let Value::Object(mut object) = value else {
            return ErrorFields::default();
        };
        let mut text = |key: &str| match object.remove(key) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        };
        let (error_code, detail, reason) = (text("errorCode"), text("detail"), text("reason"));
        let parameters = match object.remove("parameters") {
            Some(Value::Array(parameters)) => parameters,
            _ => Vec::new(),
        };
        let field_violations = match object.get_mut("badRequestDetail").and_then(|detail| detail.get_mut("fields")) {
            Some(Value::Array(fields)) => fields.iter_mut().filter_map(field_violation).collect(),
            _ => Vec::new(),
        };
        ErrorFields { error_code, detail, reason, parameters, field_violations }
    }
}

/// An entry of `badRequestDetail.fields`: kept when it names a field or a
/// reason, even if not both.
fn field_violation(entry: &mut Value) -> Option<FieldViolation> {
    let mut text = |key: &str| match entry.get_mut(key).map(Value::take) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    };
    let (field, description) = (text("field"), text("description"));
    if field.is_none() && description.is_none() {
        return None;
    }
    Some(FieldViolation { field: field.unwrap_or_default(), description: description.unwrap_or_default() })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(body: &Value) -> ErrorFields {
        ErrorFields::read(body.to_string().as_bytes(), false)
    }

    fn violation(field: &str, description: &str) -> FieldViolation {
        FieldViolation { field: field.to_owned(), description: description.to_owned() }
    }

    #[test]
    fn a_full_atlas_error_body() {
        let fields = read(&json!({
            "error": 400,
            "errorCode": "INVALID_ATTRIBUTE",
            "detail": "Invalid attribute roles specified.",
            "reason": "Bad Request",
            "parameters": [{"name": "roles"}],
            "badRequestDetail": {"fields": [{"field": "roles[0]", "description": "unknown role"}]},
        }));
        assert_eq!(
            fields,
            ErrorFields {
                error_code: Some("INVALID_ATTRIBUTE".to_owned()),
                detail: Some("Invalid attribute roles specified.".to_owned()),
                reason: Some("Bad Request".to_owned()),
                parameters: vec![json!({"name": "roles"})],
                field_violations: vec![violation("roles[0]", "unknown role")],
            }
        );
    }

    #[test]
    fn a_body_without_an_error_code() {
        let fields = read(&json!({"error": 404, "detail": "No invitation with ID x exists.", "reason": "Not Found"}));
        assert_eq!(fields.error_code, None);
        assert_eq!(fields.detail.as_deref(), Some("No invitation with ID x exists."));
        assert_eq!(fields.reason.as_deref(), Some("Not Found"));
        assert!(fields.parameters.is_empty() && fields.field_violations.is_empty());
    }

    #[test]
    fn parameters_of_any_kind() {
        let objects = read(&json!({"parameters": [{"a": 1}, {"b": [2]}]}));
        assert_eq!(objects.parameters, [json!({"a": 1}), json!({"b": [2]})]);
        let scalars = read(&json!({"parameters": ["32b6e34b3d91647abb20e7b8", 3, null, true]}));
        assert_eq!(scalars.parameters, [json!("32b6e34b3d91647abb20e7b8"), json!(3), Value::Null, json!(true)]);
        let not_a_list = read(&json!({"errorCode": "X", "parameters": {"a": 1}}));
        assert!(not_a_list.parameters.is_empty());
        assert_eq!(not_a_list.error_code.as_deref(), Some("X"));
    }

    #[test]
    fn malformed_field_violations_keep_what_they_say() {
        let fields = read(&json!({"badRequestDetail": {"fields": [
            {"field": "username", "description": "must be an email address"},
            {"field": "roles"},
            {"description": "something is wrong", "field": 7},
            {"field": null, "description": ["not", "text"]},
            "username",
            null,
        ]}}));
        assert_eq!(
            fields.field_violations,
            [
                violation("username", "must be an email address"),
                violation("roles", ""),
                violation("", "something is wrong")
            ]
        );
        for detail in [json!({"fields": "username"}), json!(["fields"]), json!(null), json!({})] {
            assert!(read(&json!({"errorCode": "X", "badRequestDetail": detail})).field_violations.is_empty());
        }
    }

    #[test]
    fn a_body_that_is_not_json() {
        for body in [&b"<html><body>502 Bad Gateway</body></html>"[..], b"", b"\xff\xfe", b"{\"errorCode\": \"X\""] {
            assert_eq!(ErrorFields::read(body, false), ErrorFields::default());
        }
        assert_eq!(read(&json!(["errorCode", "X"])), ErrorFields::default());
        assert_eq!(read(&json!("RESOURCE_NOT_FOUND")), ErrorFields::default());
    }

    #[test]
    fn a_field_of_another_type_is_absent_not_a_failure() {
        let fields = read(&json!({"errorCode": 404, "detail": "still read", "reason": {"phrase": "Not Found"}}));
        assert_eq!(fields.error_code, None);
        assert_eq!(fields.detail.as_deref(), Some("still read"));
        assert_eq!(fields.reason, None);
    }

    #[test]
    fn an_envelope_is_unwrapped_when_asked_for() {
        let body = json!({"status": 404, "content": {"errorCode": "NOT_FOUND"}}).to_string();
        assert_eq!(ErrorFields::read(body.as_bytes(), true).error_code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(ErrorFields::read(body.as_bytes(), false).error_code, None);
    }
}
