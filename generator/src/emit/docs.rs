//! Spec prose → rustdoc that renders as written and raises no warnings.
//!
//! Descriptions are written for a web page, not for rustdoc: `[a-f0-9]` reads
//! as a broken link, `<id>` as an unclosed HTML tag, a bare URL draws a lint,
//! and a fenced block would run as a doctest. Each is neutralised here.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Outer doc attributes (`///`) for the paragraphs given, skipping empty ones.
pub fn outer<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    attributes(&lines(paragraphs), false)
}

/// Inner doc attributes (`//!`) for the paragraphs given.
pub fn inner<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    attributes(&lines(paragraphs), true)
}

/// Outer doc attributes for paragraphs that are already rustdoc Markdown
/// (written by the generator, or passed through [`markdown`] by the caller).
pub fn outer_verbatim<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    attributes(&verbatim_lines(paragraphs), false)
}

/// Inner doc attributes for paragraphs that are already rustdoc Markdown.
pub fn inner_verbatim<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    attributes(&verbatim_lines(paragraphs), true)
}

fn attributes(lines: &[String], inner: bool) -> TokenStream {
    let lines = lines.iter().map(|line| literal(line));
    if inner {
        quote! { #( #![doc = #lines] )* }
    } else {
        quote! { #( #[doc = #lines] )* }
    }
}

fn lines<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let converted: Vec<String> = paragraphs.into_iter().map(markdown).filter(|text| !text.trim().is_empty()).collect();
    verbatim_lines(&converted)
}

/// Doc lines of the paragraphs, a blank line between two; each non-empty
/// line starts with a space, as after `///`.
fn verbatim_lines<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 {
            out.push(String::new());
        }
        out.extend(paragraph.as_ref().trim_end().lines().map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        }));
    }
    out
}

/// One doc line as a raw string literal (`r#"…"#`). Docs are most of the
/// generated text; a plain literal escapes every character here and `syn`
/// and prettyplease unescape it again, a raw one is copied as it is. The
/// printed `///` line is the same either way.
fn literal(line: &str) -> Literal {
    let mut hashes = 0;
    let mut rest = line;
    while let Some(quote) = rest.find('"') {
        rest = &rest[quote + 1..];
        hashes = hashes.max(rest.len() - rest.trim_start_matches('#').len() + 1);
    }
    let fence = "#".repeat(hashes);
    // A line holds no line break (nor a lone `\r`), which is all a raw
    // string cannot hold; escape it the slow way if that ever changes.
    format!("r{fence}\"{line}\"{fence}").parse().unwrap_or_else(|_| Literal::string(line))
}

/// Rewrites one description so rustdoc shows it as the spec means it.
pub fn markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    // The open fence: its character and length (a closing one matches both).
    let mut fence: Option<(char, usize)> = None;
    // Whether the previous line belongs to a Markdown list item.
    let mut in_list = false;
    for line in text.lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        let run = |c: char| trimmed.chars().take_while(|x| *x == c).count();
        match fence {
            Some((c, len)) if run(c) >= len && trimmed.trim_start_matches(c).trim().is_empty() => {
                out.push_str(&c.to_string().repeat(len));
                fence = None;
            }
            Some(_) => out.push_str(line.trim_end()),
            None if run('`') >= 3 || run('~') >= 3 => {
                let c = if run('`') >= 3 { '`' } else { '~' };
                let len = run(c);
                // Any fence is shown as text: spec examples are not Rust doctests.
                out.push_str(&c.to_string().repeat(len));
                out.push_str("text");
                fence = Some((c, len));
            }
            None => {
                // Four spaces of indent would start an indented code block,
                // which rustdoc would compile as a doctest: keep at most three.
                let indent = (line.len() - trimmed.len()).min(3);
                // Unindented text right after a list reads as a new paragraph
                // in the spec; Markdown would glue it to the last item.
                let item = is_list_item(trimmed);
                if in_list && !item && !trimmed.is_empty() && indent < 2 {
                    out.push('\n');
                }
                in_list = !trimmed.is_empty() && (item || (in_list && indent >= 2));
                out.push_str(&" ".repeat(indent));
                out.push_str(&escape_line(trimmed.trim_end()));
            }
        }
        out.push('\n');
    }
    if let Some((c, len)) = fence {
        out.push_str(&c.to_string().repeat(len));
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// Escapes what rustdoc would read as links, HTML or emphasis markers gone
/// wrong, and wraps bare URLs, outside code spans. A code span opens with a
/// run of backticks and closes with a run of the same length.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let run = rest.chars().take_while(|x| *x == '`').count();
            let after = &rest[run..];
            if let Some(close) = find_backtick_run(after, run) {
                out.push_str(&rest[..run + close + run]);
                rest = &after[close + run..];
            } else {
                // An unclosed backtick would swallow the rest of the doc comment.
                for _ in 0..run {
                    out.push_str("\\`");
                }
                rest = after;
            }
            continue;
        }
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
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Where in `text` a run of exactly `len` backticks starts.
fn find_backtick_run(text: &str, len: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let run = bytes[index..].iter().take_while(|b| **b == b'`').count();
            if run == len {
                return Some(index);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

/// A code span holding `text` whatever backticks it contains.
pub fn code(text: &str) -> String {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        current = if c == '`' { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

/// `- item`, `* item`, `+ item`, `1. item` or `1) item`.
fn is_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|marker| line.starts_with(marker)) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
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
    use super::{code, literal, markdown};

    #[test]
    fn doc_literals_keep_every_line_as_written() {
        for line in [" plain", " say \"hi\"", " a \"# b", " \"##\"###", " back\\slash {} é 名 \t tab", ""] {
            let token = literal(line);
            let parsed: syn::LitStr = syn::parse2(quote::quote!(#token)).expect("a string literal");
            assert_eq!(parsed.value(), line, "from {token}");
            assert!(token.to_string().starts_with('r'), "{token} is raw");
        }
    }

    #[test]
    fn brackets_and_tags_are_escaped() {
        assert_eq!(markdown("match ^([a-f0-9]{24})$"), r"match ^(\[a-f0-9\]{24})$");
        assert_eq!(markdown("an <id> here"), "an &lt;id&gt; here");
        assert_eq!(markdown("`[a-f]` stays"), "`[a-f]` stays");
    }

    #[test]
    fn text_after_a_list_is_its_own_paragraph() {
        assert_eq!(markdown("Steps:\n- one\n- two\nThen done."), "Steps:\n- one\n- two\n\nThen done.");
        assert_eq!(markdown("- one\n  more of one\n- two"), "- one\n  more of one\n- two");
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

    #[test]
    fn tilde_fences_and_indented_code_never_become_doctests() {
        assert_eq!(markdown("~~~\nfn x() {}\n~~~"), "~~~text\nfn x() {}\n~~~");
        assert_eq!(markdown("````\n```\n````"), "````text\n```\n````");
        assert_eq!(markdown("a\n\n        let x = 1;"), "a\n\n   let x = 1;");
        assert_eq!(markdown("\tx"), "   x");
    }

    #[test]
    fn code_spans_follow_backtick_runs() {
        assert_eq!(markdown("``a ` [b]`` [c]"), "``a ` [b]`` \\[c\\]");
        assert_eq!(markdown("a ` [b]"), "a \\` \\[b\\]");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("ab"), "`ab`");
    }
}
