//! The one place where spec names become Rust names.
//!
//! Every identifier the emitters print comes from here, so the rules for case,
//! keywords, leading digits and odd characters are applied once and the same
//! way everywhere. Whether two spec names collide is decided on the output of
//! these functions (see `passes::check_names`).

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::ApiDate;

/// Words that cannot be plain Rust identifiers (strict and reserved keywords,
/// 2015–2024 editions), plus `Self`/`self`, which cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names a type (struct, enum, typed id): `UpperCamelCase`.
pub fn type_name(spec_name: &str) -> String {
    let name = words(spec_name).to_upper_camel_case();
    fix_start(name, "Type")
}

/// A name the generator composed (`OrganizationInvitation` + `Roles`) as a
/// type name: kept as it is when it already is one, so composed names stay
/// readable, and made into one otherwise.
pub fn composed_type_name(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !is_keyword(name);
    if valid {
        name.to_owned()
    } else {
        type_name(name)
    }
}

/// Names an enum variant: `UpperCamelCase`; the empty string is `Empty`.
pub fn variant_name(wire_value: &str) -> String {
    if wire_value.is_empty() {
        return "Empty".to_owned();
    }
    let name = words(wire_value).to_upper_camel_case();
    fix_start(name, "Value")
}

/// Names a field, parameter, function or module: `snake_case`.
pub fn field_name(spec_name: &str) -> String {
    let name = words(spec_name).to_snake_case();
    fix_start(name, "field")
}

/// The optional-query-parameters struct of the operation whose function is
/// `function_name`: `list_org_invites` → `ListOrgInvitesQuery`.
pub fn query_struct_name(function_name: &str) -> String {
    format!("{}Query", type_name(function_name))
}

/// The module of a dated release: `2023-01-01` → `v2023_01_01`.
pub fn release_module(date: ApiDate) -> String {
    format!("v{}", date_suffix(date))
}

/// The client accessor struct of a dated release: `2023-01-01` → `V2023_01_01`.
pub fn release_accessor(date: ApiDate) -> String {
    format!("V{}", date_suffix(date))
}

/// The endpoint function of an operation at one resource version:
/// `list_org_invites` at 2023-01-01 → `list_org_invites_2023_01_01`.
pub fn endpoint_function(operation: &str, version: ApiDate) -> String {
    // A keyword's trailing `_` (`type_`) would double up before the date.
    format!("{}_{}", operation.trim_end_matches('_'), date_suffix(version))
}

fn date_suffix(date: ApiDate) -> String {
    date.to_string().replace('-', "_")
}

/// The names endpoint functions use for their own locals; a parameter that
/// is an argument gets another name (`body` → `body_param`).
const ARGUMENT_LOCALS: &[&str] = &["body", "query", "builder"];

/// A parameter's Rust name: its field name, unless it is an argument of the
/// endpoint functions whose name they use for a local.
pub fn parameter_name(wire_name: &str, is_argument: bool) -> String {
    let name = field_name(wire_name);
    if is_argument && ARGUMENT_LOCALS.contains(&name.as_str()) {
        format!("{name}_param")
    } else {
        name
    }
}

/// A name for an operation without `operationId`: method and the path's
/// segments, e.g. `get_orgs_by_orgId_invites`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut name = method.to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(parameter) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            name.push_str("_by_");
            name.push_str(parameter);
        } else {
            name.push('_');
            name.push_str(segment);
        }
    }
    name
}

/// The function of a non-JSON format of an operation: `get_invoice` as CSV
/// is `get_invoice_as_csv`.
pub fn format_function(operation_id: &str, format: &str) -> String {
    field_name(&format!("{operation_id}_as_{format}"))
}

/// Names an enum: the common prefix of its values (`ORG_` → `Org`) and the
/// property it sits under (the singular, `role`, for array items) give
/// `OrgRole`; without a property, the hint.
pub fn enum_name<'v>(values: impl Iterator<Item = &'v str>, hint: &str, property: Option<&str>) -> String {
    let Some(property) = property else { return composed_type_name(hint) };
    let property = type_name(property);
    let prefix = type_name(&common_word_prefix(values));
    let name = if prefix == "Type" || property.starts_with(&prefix) { property } else { format!("{prefix}{property}") };
    composed_type_name(&name)
}

/// The words (split on `_`) every value starts with, e.g. `ORG` for
/// `ORG_OWNER` and `ORG_MEMBER`; empty when there is none or one value.
fn common_word_prefix<'v>(mut values: impl Iterator<Item = &'v str>) -> String {
    let Some(first) = values.next() else { return String::new() };
    let mut prefix: Vec<&str> = first.split('_').collect();
    prefix.pop();
    let mut count = 1;
    for value in values {
        count += 1;
        let words: Vec<&str> = value.split('_').collect();
        let shared = prefix.iter().zip(&words).take_while(|(a, b)| a == b).count();
        prefix.truncate(shared.min(words.len().saturating_sub(1)));
    }
    if count < 2 {
        return String::new();
    }
    prefix.join("_")
}

/// The variant of an open enum or union that keeps values it does not list:
/// the first of a few names that no listed variant has.
pub fn fallback_variant<'a>(taken: impl Iterator<Item = &'a str> + Clone) -> String {
    ["Unknown", "Unrecognized", "Other", "UnknownValue"]
        .into_iter()
        .find(|name| !taken.clone().any(|t| t == *name))
        .unwrap_or("UnlistedValue")
        .to_owned()
}

/// The field that keeps an object's other properties: the first of a few
/// names that no property has.
pub fn others_field<'a>(taken: impl Iterator<Item = &'a str> + Clone) -> String {
    ["additional_properties", "other_properties", "extra_properties"]
        .into_iter()
        .find(|name| !taken.clone().any(|t| t == *name))
        .unwrap_or("additional_properties_map")
        .to_owned()
}

/// The variants of an untagged union: each alternative's type name (or
/// kind), numbered by position where two would share one.
pub fn untagged_variants(kinds: &[String]) -> Vec<String> {
    kinds
        .iter()
        .enumerate()
        .map(|(index, name)| {
            if kinds.iter().filter(|other| *other == name).count() > 1 {
                format!("{name}{}", index + 1)
            } else {
                name.clone()
            }
        })
        .collect()
}

/// A package name from a spec's title: its words, lower case, joined by `-`.
pub fn package_name(title: &str) -> String {
    let words: Vec<String> =
        title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    match words.join("-") {
        name if name.starts_with(|c: char| c.is_ascii_alphabetic()) => name,
        name if name.is_empty() => "atlas-api".to_owned(),
        name => format!("atlas-{name}"),
    }
}

/// The environment variable the example program reads a path parameter
/// from: `orgId` → `MONGODB_ATLAS_ORG_ID`, as the Atlas CLI names its own.
pub fn environment_variable(parameter: &str) -> String {
    format!("MONGODB_ATLAS_{}", parameter.to_shouty_snake_case())
}

/// The singular form of a property name, for naming the items of an array
/// (`roles` → `role`). Only the plural forms that occur in API names.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") || word.ends_with("us") {
        word.to_owned()
    } else if let Some(stem) = word.strip_suffix("ses") {
        format!("{stem}s")
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

/// Makes a cased name a valid identifier: keywords get a trailing `_`, a name
/// that starts with a digit gets a prefix, and a name with nothing left (all
/// symbols) becomes the prefix alone.
fn fix_start(name: String, prefix: &str) -> String {
    if name.is_empty() {
        return prefix.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{prefix}{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    name
}

/// The words of a spec name, in ASCII: punctuation that carries meaning in
/// enum values such as `<` or `>=` is spelled out; other non-alphanumerics
/// (`-`, `_`, `.`, spaces) are word breaks, so `with-dash` is `WithDash`;
/// Latin letters lose their accents (`Größe` → `Grosse`) and any other
/// letter or digit becomes its code point (`名` → `u540d`).
///
/// Identifiers stay ASCII on purpose: Rust accepts many non-ASCII ones, but
/// lints such as `uncommon_codepoints` and `confusable_idents` warn on some,
/// and the generated crate must build warning-free whatever the spec holds.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_ascii() {
            match fold_latin(c) {
                Some(folded) => out.push_str(folded),
                None if c.is_alphanumeric() => out.push_str(&format!(" u{:04x} ", u32::from(c))),
                None => out.push(' '),
            }
            continue;
        }
        let word = match c {
            '<' => " less than ",
            '>' => " greater than ",
            '=' => " equal ",
            '!' => " not ",
            '+' => " plus ",
            '*' => " star ",
            '%' => " percent ",
            '&' => " and ",
            '@' => " at ",
            '#' => " hash ",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(word);
    }
    out
}

/// The ASCII letters of an accented Latin letter (`é` → `e`, `ß` → `ss`).
fn fold_latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ÐĎĐ", "D"),
        ("ðďđ", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņňŉ", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "Ae"),
        ("æ", "ae"),
        ("Œ", "Oe"),
        ("œ", "oe"),
        ("ß", "ss"),
        ("Þ", "Th"),
        ("þ", "th"),
    ];
    TABLE.iter().find(|(letters, _)| letters.contains(c)).map(|(_, ascii)| *ascii)
}

/// Whether `name` can be printed as a plain identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_upper_camel_case_and_valid() {
        assert_eq!(type_name("OrganizationInvitation"), "OrganizationInvitation");
        assert_eq!(type_name("api_error"), "ApiError");
        assert_eq!(type_name("with-dash"), "WithDash");
        assert_eq!(type_name("1st"), "Type1st");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name(""), "Type");
    }

    #[test]
    fn fields_are_snake_case_and_never_keywords() {
        assert_eq!(field_name("groupRoleAssignments"), "group_role_assignments");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("1st"), "field1st");
        assert_eq!(field_name("RateLimit-Limit"), "rate_limit_limit");
        assert_eq!(field_name("größe"), "grosse");
        assert_eq!(field_name(""), "field");
        assert_eq!(field_name("_"), "field");
        assert_eq!(field_name("²"), "u00b2");
    }

    #[test]
    fn variants_cover_empty_and_symbols() {
        assert_eq!(variant_name("ORG_OWNER"), "OrgOwner");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("<"), "LessThan");
        assert_eq!(variant_name(">="), "GreaterThanEqual");
        assert_eq!(variant_name("Überweisung"), "Uberweisung");
        assert_eq!(variant_name("名前"), "U540dU524d");
    }

    #[test]
    fn every_name_is_an_ascii_identifier() {
        let odd = [
            "", " ", "-", "1", "type", "Self", "self", "crate", "super", "_", "__", "名前", "Ωmega", "a\u{300}",
            "\u{200b}", "💥", "r#type", "<=>",
        ];
        for name in odd {
            for made in [type_name(name), variant_name(name), field_name(name), composed_type_name(name)] {
                assert!(made.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{name:?} → {made:?}");
                assert!(!made.starts_with(|c: char| c.is_ascii_digit()) && !made.is_empty(), "{name:?} → {made:?}");
                assert!(!is_keyword(&made) && made != "_", "{name:?} → {made:?}");
            }
        }
        assert_eq!(composed_type_name("OrgRole"), "OrgRole");
        assert_eq!(composed_type_name("Foo1stBar"), "Foo1stBar");
        assert_eq!(composed_type_name("Self"), "Self_");
        assert_eq!(query_struct_name("list_org_invites"), "ListOrgInvitesQuery");
    }

    #[test]
    fn packages_and_variables_are_named_from_the_spec() {
        assert_eq!(package_name("MongoDB Atlas Administration API"), "mongodb-atlas-administration-api");
        assert_eq!(package_name(" Invitations (v2) "), "invitations-v2");
        assert_eq!(package_name("2024 API"), "atlas-2024-api");
        assert_eq!(package_name("—"), "atlas-api");
        assert_eq!(environment_variable("orgId"), "MONGODB_ATLAS_ORG_ID");
    }

    #[test]
    fn singular_handles_api_plurals() {
        assert_eq!(singular("roles"), "role");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("address"), "address");
    }

    #[test]
    fn releases_and_versions_become_names() {
        let date = ApiDate::parse("2023-01-01").expect("a date");
        assert_eq!(release_module(date), "v2023_01_01");
        assert_eq!(release_accessor(date), "V2023_01_01");
        assert_eq!(endpoint_function("list_org_invites", date), "list_org_invites_2023_01_01");
        assert_eq!(endpoint_function("type_", date), "type_2023_01_01");
    }

    #[test]
    fn enums_are_named_after_their_values_and_property() {
        let roles = ["ORG_OWNER", "ORG_MEMBER"];
        assert_eq!(enum_name(roles.into_iter(), "Hint", Some("role")), "OrgRole");
        assert_eq!(enum_name(["A", "B"].into_iter(), "Hint", Some("status")), "Status");
        assert_eq!(enum_name(["ORG_OWNER"].into_iter(), "Hint", Some("role")), "Role");
        assert_eq!(enum_name(roles.into_iter(), "Hint", None), "Hint");
    }

    #[test]
    fn generated_names_avoid_the_ones_taken() {
        assert_eq!(fallback_variant(["A", "Unknown"].into_iter()), "Unrecognized");
        assert_eq!(others_field(["additional_properties"].into_iter()), "other_properties");
        assert_eq!(parameter_name("body", true), "body_param");
        assert_eq!(parameter_name("body", false), "body");
        let kinds = ["String".to_owned(), "Value".to_owned(), "String".to_owned()];
        assert_eq!(untagged_variants(&kinds), ["String1", "Value", "String3"]);
        assert_eq!(derived_operation_id("GET", "/orgs/{orgId}/invites"), "get_orgs_by_orgId_invites");
    }
}
