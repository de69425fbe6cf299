//! Turns the simple patterns of path parameters into plain checks, so the
//! generated crate validates ids without depending on a regex engine.
//!
//! Supported: an anchored single character class with a repeat count, with or
//! without a group around it: `^([a-f0-9]{24})$`, `^[A-Za-z0-9_-]{1,64}$`,
//! `^[0-9]+$`. Anything else is reported, not guessed at.

use crate::ir::PatternCheck;

/// Compiles `pattern`, or `None` when it is not of the supported form.
pub fn compile(pattern: &str) -> Option<PatternCheck> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let body = match body.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')')?,
        None => body,
    };
    let body = body.strip_prefix('[')?;
    let (class, repeat) = body.split_once(']')?;
    let ranges = class_ranges(class)?;
    let (min, max) = repeat_bounds(repeat)?;
    (min <= max).then_some(PatternCheck { ranges, min, max })
}

fn class_ranges(class: &str) -> Option<Vec<(char, char)>> {
    if class.is_empty() || class.starts_with('^') {
        return None;
    }
    let chars: Vec<char> = class.chars().collect();
    let mut ranges = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let start = literal(&chars, &mut index)?;
        if chars.get(index) == Some(&'-') && index + 1 < chars.len() {
            index += 1;
            let end = literal(&chars, &mut index)?;
            if end < start {
                return None;
            }
            ranges.push((start, end));
        } else {
            ranges.push((start, start));
        }
    }
    Some(ranges)
}

/// One literal character of a class; escapes of punctuation only (`\-`, `\.`),
/// since `\d`, `\w` and `\p{..}` are classes, not characters.
fn literal(chars: &[char], index: &mut usize) -> Option<char> {
    let c = *chars.get(*index)?;
    *index += 1;
    if c != '\\' {
        return Some(c);
    }
    let escaped = *chars.get(*index)?;
    *index += 1;
    escaped.is_ascii_punctuation().then_some(escaped)
}

fn repeat_bounds(repeat: &str) -> Option<(usize, usize)> {
    match repeat {
        "" => Some((1, 1)),
        "+" => Some((1, usize::MAX)),
        "*" => Some((0, usize::MAX)),
        _ => {
            let inner = repeat.strip_prefix('{')?.strip_suffix('}')?;
            match inner.split_once(',') {
                None => {
                    let n = inner.parse().ok()?;
                    Some((n, n))
                }
                Some((min, "")) => Some((min.parse().ok()?, usize::MAX)),
                Some((min, max)) => Some((min.parse().ok()?, max.parse().ok()?)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_compile() {
        let check = compile("^([a-f0-9]{24})$").expect("supported");
        assert_eq!(check.ranges, vec![('a', 'f'), ('0', '9')]);
        assert_eq!((check.min, check.max), (24, 24));
    }

    #[test]
    fn bounds_and_escapes() {
        let check = compile(r"^[A-Za-z0-9_\-]{1,64}$").expect("supported");
        assert!(check.ranges.contains(&('-', '-')));
        assert_eq!((check.min, check.max), (1, 64));
        assert_eq!(compile("^[0-9]+$").map(|c| c.max), Some(usize::MAX));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(compile(r"^[\p{L}\p{N}]{1,64}$"), None);
        assert_eq!(compile("^(a|b)$"), None);
        assert_eq!(compile("[a-f]{24}"), None);
        assert_eq!(compile("^[^a]{2}$"), None);
        assert_eq!(compile("^[z-a]{2}$"), None);
    }
}
