//! Spec prose → rustdoc that renders as written and raises no warnings.
//!
//! Descriptions are written for a web page, not for rustdoc: `[a-f0-9]` reads
//! as a broken link, `<id>` as an unclosed HTML tag, a bare URL draws a lint,
//! and a fenced block would run as a doctest. Each is neutralised here.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`) for the paragraphs given, skipping empty ones.
pub fn outer<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for the paragraphs given.
pub fn inner<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn lines<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let text = markdown(paragraph);
        if text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }));
    }
    out
}

/// Rewrites one description so rustdoc shows it as the spec means it.
pub fn markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push_str("```");
            } else {
                // Any fence is shown as text: spec examples are not Rust doctests.
                out.push_str("```text");
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line.trim_end());
        } else {
            out.push_str(&escape_line(line.trim_end()));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// Escapes brackets and angle brackets and wraps bare URLs, outside code spans.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = bare_url_len(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            match c {
                '[' | ']' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unclosed backtick would swallow the rest of the doc comment.
        out.push('`');
    }
    out
}

fn bare_url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')')).unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn brackets_and_tags_are_escaped() {
        assert_eq!(markdown("match ^([a-f0-9]{24})$"), r"match ^(\[a-f0-9\]{24})$");
        assert_eq!(markdown("an <id> here"), "an &lt;id&gt; here");
        assert_eq!(markdown("`[a-f]` stays"), "`[a-f]` stays");
    }

    #[test]
    fn urls_are_wrapped() {
        assert_eq!(markdown("see https://example.com/a."), "see <https://example.com/a>.");
    }

    #[test]
    fn fences_become_text() {
        assert_eq!(markdown("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(markdown("```js\nx"), "```text\nx\n```");
    }

    #[test]
    fn comment_terminators_and_crlf_are_harmless() {
        assert_eq!(markdown("a */ b\r\nc"), "a */ b\nc");
    }
}
