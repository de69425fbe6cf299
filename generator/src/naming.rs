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

/// A dated version as an identifier part: `2023-01-01` → `2023_01_01`.
pub fn version_suffix(date: &str) -> String {
    date.replace('-', "_")
}

/// The module name of a dated release: `2023-01-01` → `v2023_01_01`.
pub fn version_module(date: &str) -> String {
    format!("v{}", version_suffix(date))
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
