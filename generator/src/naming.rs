//! The one place where spec names become Rust names.
//!
//! Every identifier the emitters print comes from here, so the rules for case,
//! keywords, leading digits and odd characters are applied once and the same
//! way everywhere. Whether two spec names collide is decided on the output of
//! these functions (see `passes::check_names`).

use heck::{ToSnakeCase, ToUpperCamelCase};

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
    let name = spell_out_symbols(spec_name).to_upper_camel_case();
    fix_start(name, "Type")
}

/// Names an enum variant: `UpperCamelCase`; the empty string is `Empty`.
pub fn variant_name(wire_value: &str) -> String {
    if wire_value.is_empty() {
        return "Empty".to_owned();
    }
    let name = spell_out_symbols(wire_value).to_upper_camel_case();
    fix_start(name, "Value")
}

/// Names a field, parameter, function or module: `snake_case`.
pub fn field_name(spec_name: &str) -> String {
    let name = spell_out_symbols(spec_name).to_snake_case();
    fix_start(name, "field")
}

/// The module and function suffix of a dated version: `2023-01-01` → `v2023_01_01`.
pub fn version_module(date: &str) -> String {
    format!("v{}", date.replace('-', "_"))
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

/// Spells out the punctuation that carries meaning in enum values such as `<`
/// or `>=`; other non-alphanumerics (`-`, `_`, `.`, spaces) are word breaks, so
/// `with-dash` is `WithDash`.
fn spell_out_symbols(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
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
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(word);
    }
    out
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
    }

    #[test]
    fn variants_cover_empty_and_symbols() {
        assert_eq!(variant_name("ORG_OWNER"), "OrgOwner");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("<"), "LessThan");
        assert_eq!(variant_name(">="), "GreaterThanEqual");
        assert_eq!(variant_name("Überweisung"), "Überweisung");
    }

    #[test]
    fn singular_handles_api_plurals() {
        assert_eq!(singular("roles"), "role");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("address"), "address");
    }

    #[test]
    fn versions_become_module_names() {
        assert_eq!(version_module("2023-01-01"), "v2023_01_01");
    }
}
