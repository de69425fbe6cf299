//! Changes to what the spec says of a value that its type does not show:
//! lengths, bounds, patterns, formats, serialization styles. None of them
//! changes the generated Rust API; a tighter one may make the API reject a
//! request that it accepted.

use serde_json::Value;

use super::Semver::Patch;
use super::{wire_if, Change, Rule};
use crate::surface::Constraints;

/// The changes between two constraint sets of `subject`, which is sent in
/// requests when `sent` holds.
pub(super) fn compare(old: &Constraints, new: &Constraints, sent: bool, subject: &str, pointer: &str) -> Vec<Change> {
    let keys = old.keys().chain(new.keys().filter(|key| !old.contains_key(*key)));
    let mut changes = Vec::new();
    for key in keys {
        let (before, now) = (old.get(key), new.get(key));
        if before == now {
            continue;
        }
        let described = format!("`{key}` of {subject} is now {} (was {})", shown(now), shown(before));
        let keyword = key.rsplit('.').next().unwrap_or(key);
        let change = match tightens(keyword, before, now) {
            Some(tighter) => {
                let message = if tighter && sent {
                    format!("{described}: requests that met the old one may be rejected")
                } else {
                    described
                };
                Change::new(Rule::ConstraintChanged, wire_if(tighter && sent), Patch, pointer, message)
            }
            // Not knowing what the keyword means, assume the worst on the wire;
            // the generated code does not read it, so its API is as it was.
            None => Change::new(Rule::Unclassified, wire_if(true), Patch, pointer, described),
        };
        changes.push(change);
    }
    changes
}

/// Whether the new value of `keyword` accepts fewer values than the old
/// one; `None` for a keyword this does not know.
fn tightens(keyword: &str, before: Option<&Value>, now: Option<&Value>) -> Option<bool> {
    let number = |value: Option<&Value>| value.and_then(Value::as_f64);
    Some(match keyword {
        "maxLength" | "maximum" | "maxItems" | "maxProperties" => match (number(before), number(now)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(was), Some(is)) => is < was,
        },
        "minLength" | "minimum" | "minItems" | "minProperties" => match (number(before), number(now)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(was), Some(is)) => is > was,
        },
        // OpenAPI 3.0 makes these flags on `maximum` and `minimum`.
        "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" => now == Some(&Value::Bool(true)),
        // Any other pattern, format, step or serialization may refuse what the old one took.
        "pattern" | "format" | "multipleOf" | "style" | "explode" | "allowReserved" | "content" => now.is_some(),
        // Documentation, defaults and direction do not make the API refuse a request.
        "default" | "readOnly" | "writeOnly" | "deprecated" | "allowEmptyValue" => false,
        _ => return None,
    })
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "unset".to_owned(), |value| format!("`{value}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Wire::{Breaking, Compatible};
    use serde_json::json;

    fn constraints(pairs: &[(&str, Value)]) -> Constraints {
        pairs.iter().map(|(key, value)| ((*key).to_owned(), value.clone())).collect()
    }

    #[test]
    fn a_lower_maximum_breaks_requests_only() {
        let (old, new) = (constraints(&[("maxLength", json!(64))]), constraints(&[("maxLength", json!(32))]));
        assert_eq!(compare(&old, &new, true, "x", "/p")[0].wire, Breaking);
        assert_eq!(compare(&old, &new, false, "x", "/p")[0].wire, Compatible);
        assert_eq!(compare(&new, &old, true, "x", "/p")[0].wire, Compatible);
    }

    #[test]
    fn an_unknown_keyword_is_unclassified_and_assumed_breaking() {
        let changes = compare(&Constraints::new(), &constraints(&[("xml", json!({"name": "a"}))]), false, "x", "/p");
        assert_eq!((changes[0].rule, changes[0].wire, changes[0].semver), (Rule::Unclassified, Breaking, Patch));
        assert_eq!(changes[0].pointer, "/p");
    }

    #[test]
    fn item_keywords_are_judged_by_their_keyword() {
        let new = constraints(&[("items.minLength", json!(1))]);
        let changes = compare(&Constraints::new(), &new, true, "x", "/p");
        assert_eq!((changes[0].rule, changes[0].wire), (Rule::ConstraintChanged, Breaking));
    }
}
