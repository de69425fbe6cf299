//! Spec prose → rustdoc that renders as written and raises no warnings.
//!
//! Descriptions are written for a web page, not for rustdoc: `[a-f0-9]` reads
//! as a broken link, `<id>` as an unclosed HTML tag, a bare URL draws a lint,
//! and a fenced block would run as a doctest. Each is neutralised here.

use std::borrow::Cow;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Outer doc comments (`///`) of paragraphs that are already rustdoc
/// Markdown (the generator's own words, or spec prose passed through
/// [`markdown`]): one attribute per line, a blank line between paragraphs,
/// empty paragraphs left out.
pub fn outer<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> TokenStream {
    let lines = lines(paragraphs);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc comments (`//!`) of paragraphs, as [`outer`].
pub fn inner<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> TokenStream {
    let lines = lines(paragraphs);
    quote!(#(#![doc = #lines])*)
}

/// Each doc line as a string literal, starting with a space as after `///`
/// (an empty line stays empty).
fn lines<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> Vec<Literal> {
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim_end();
        if paragraph.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Literal::string(""));
        }
        for line in paragraph.lines() {
            // prettyplease trims the spaces that end a doc line; so does this.
            let line = line.trim_end();
            lines.push(if line.is_empty() { Literal::string("") } else { raw_literal(&format!(" {line}")) });
        }
    }
    lines
}

/// A doc line as a raw string literal (`r#"…"#`): a plain literal escapes
/// every character and `syn` unescapes it again before printing, a raw one
/// is copied as it is. Docs are most of a generated file, so this is most
/// of the cost of writing them; the printed doc is the same either way.
fn raw_literal(line: &str) -> Literal {
    // Enough `#`s that no `"#…` inside the line ends the literal.
    let mut hashes = 0;
    let mut rest = line;
    while let Some(quote) = rest.find('"') {
        rest = &rest[quote + 1..];
        hashes = hashes.max(rest.len() - rest.trim_start_matches('#').len() + 1);
    }
    let fence = "#".repeat(hashes);
    // A line holds no line break, which is all a raw string cannot hold;
    // the escaped form is the fallback should that ever change.
    format!("r{fence}\"{line}\"{fence}").parse().unwrap_or_else(|_| Literal::string(line))
}

/// Rewrites one description so rustdoc shows it as the spec means it.
pub fn markdown(text: &str) -> String {
    let text: Cow<str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The open fence: its character and length (a closing one matches both).
    let mut fence: Option<(char, usize)> = None;
    // Whether the previous line belongs to a Markdown list item.
    let mut in_list = false;
    for line in text.lines() {
        let line: Cow<str> = if line.contains('\t') { line.replace('\t', "    ").into() } else { line.into() };
        let trimmed = line.trim_start();
        let run = |c: char| trimmed.chars().take_while(|x| *x == c).count();
        match fence {
            Some((c, len)) if run(c) >= len && trimmed.trim_start_matches(c).trim().is_empty() => {
                push_repeated(&mut out, c, len);
                fence = None;
            }
            Some(_) => out.push_str(line.trim_end()),
            None if run('`') >= 3 || run('~') >= 3 => {
                let c = if run('`') >= 3 { '`' } else { '~' };
                let len = run(c);
                // Any fence is shown as text: spec examples are not Rust doctests.
                push_repeated(&mut out, c, len);
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
                push_repeated(&mut out, ' ', indent);
                escape_line(&mut out, trimmed.trim_end());
            }
        }
        out.push('\n');
    }
    if let Some((c, len)) = fence {
        push_repeated(&mut out, c, len);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

fn push_repeated(out: &mut String, c: char, count: usize) {
    out.extend(std::iter::repeat_n(c, count));
}

/// Escapes what rustdoc would read as links, HTML or emphasis markers gone
/// wrong, and wraps bare URLs, outside code spans. A code span opens with a
/// run of backticks and closes with a run of the same length.
fn escape_line(out: &mut String, line: &str) {
    let mut rest = line;
    loop {
        // Most text needs nothing: copy it up to the next byte that might
        // (all of them ASCII, so the cut is on a character boundary).
        let plain = rest.bytes().position(|b| matches!(b, b'`' | b'[' | b']' | b'\\' | b'<' | b'>' | b'&' | b'h'));
        let Some(plain) = plain else {
            out.push_str(rest);
            return;
        };
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let c = rest.as_bytes()[0];
        if c == b'`' {
            let run = rest.bytes().take_while(|x| *x == b'`').count();
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
            b'[' | b']' | b'\\' => {
                out.push('\\');
                out.push(char::from(c));
            }
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'&' => out.push_str("&amp;"),
            _ => out.push(char::from(c)),
        }
        rest = &rest[1..];
    }
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
    use super::{code, markdown, outer};

    #[test]
    fn raw_literals_keep_every_line_as_written() {
        for line in [" plain", " say \"hi\"", " a \"# b", " \"##\"###", " back\\slash {} é 名 \t tab"] {
            let literal = super::raw_literal(line);
            let parsed: syn::LitStr = syn::parse2(quote::quote!(#literal)).expect("a string literal");
            assert_eq!(parsed.value(), line, "from {literal}");
            assert!(literal.to_string().starts_with('r'), "{literal} is raw");
        }
    }

    #[test]
    fn doc_lines_print_as_written() {
        let doc = outer(["First line  \nsecond \"quoted\"#", "", "Next paragraph."]);
        let file: syn::File = syn::parse2(quote::quote! {
            mod outer {
                #doc
                pub struct Documented;
            }
        })
        .expect("parses");
        let expected = "mod outer {\n    /// First line\n    /// second \"quoted\"#\n    ///\n    /// Next paragraph.\n    pub struct Documented;\n}\n";
        assert_eq!(prettyplease::unparse(&file), expected);
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
