//! Spec prose → rustdoc that renders as written and raises no warnings.
//!
//! Descriptions are written for a web page, not for rustdoc: `[a-f0-9]` reads
//! as a broken link, `<id>` as an unclosed HTML tag, a bare URL draws a lint,
//! and a fenced block would run as a doctest. Each is neutralised here.

use std::borrow::Cow;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::syntax;

/// Outer doc attributes (`///`) for the paragraphs given, skipping empty ones.
pub fn outer<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    tokens(outer_attributes(paragraphs))
}

/// Inner doc attributes (`//!`) for the paragraphs given.
pub fn inner<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    tokens(inner_attributes(paragraphs))
}

/// Outer doc attributes for paragraphs that are already rustdoc Markdown
/// (written by the generator, or passed through [`markdown`] by the caller).
pub fn outer_verbatim<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    tokens(outer_verbatim_attributes(paragraphs))
}

/// Inner doc attributes for paragraphs that are already rustdoc Markdown.
pub fn inner_verbatim<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    tokens(inner_verbatim_attributes(paragraphs))
}

/// [`inner_verbatim`] as a `syn` attribute, for files built without `quote!`.
pub fn inner_verbatim_attributes<S: AsRef<str>>(paragraphs: &[S]) -> Option<syn::Attribute> {
    attributes(paragraphs, true)
}

/// [`outer_verbatim`] as a `syn` attribute, for items built without `quote!`.
pub fn outer_verbatim_attributes<S: AsRef<str>>(paragraphs: &[S]) -> Option<syn::Attribute> {
    attributes(paragraphs, false)
}

/// [`outer`] as a `syn` attribute, for items built without `quote!`.
pub fn outer_attributes<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Option<syn::Attribute> {
    attributes(converted(paragraphs), false)
}

/// [`inner`] as a `syn` attribute, for files built without `quote!`.
pub fn inner_attributes<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Option<syn::Attribute> {
    attributes(converted(paragraphs), true)
}

fn tokens(attribute: Option<syn::Attribute>) -> TokenStream {
    quote!(#attribute)
}

/// A doc block as one attribute whose lines are joined by [`LINE_BREAK`]:
/// a full spec's docs are most of the generated text, and one attribute per
/// line would cost a `syn` attribute and a printed token each. prettyplease
/// prints the block as a single `///` line; [`split_doc_lines`] then makes it
/// one `///` line per doc line again, so the output is the same.
fn attributes<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>, inner: bool) -> Option<syn::Attribute> {
    let mut block = String::new();
    let mut lines = 0;
    for (index, paragraph) in paragraphs.into_iter().enumerate() {
        // A blank doc line between two paragraphs.
        if index > 0 {
            push_line(&mut block, &mut lines, "");
        }
        for line in paragraph.as_ref().trim_end().lines() {
            push_line(&mut block, &mut lines, line);
        }
    }
    (lines > 0).then(|| syntax::doc_attribute(literal(&block), inner))
}

/// Adds a doc line to a block: after a space, as after `///`, unless empty.
fn push_line(block: &mut String, lines: &mut usize, line: &str) {
    if *lines > 0 {
        block.push(LINE_BREAK);
    }
    *lines += 1;
    // prettyplease trims the spaces that end a doc line; here it would
    // only see the block's last line.
    let line = line.trim_end_matches(' ');
    if !line.is_empty() {
        block.push(' ');
    }
    if line.contains(LINE_BREAK) {
        block.push_str(&line.replace(LINE_BREAK, ""));
    } else {
        block.push_str(line);
    }
}

/// Joins the lines of a doc block inside one attribute: a control character
/// no doc line keeps (see [`attributes`]), so only this module's blocks hold it.
const LINE_BREAK: char = '\u{1}';

/// Turns each doc block that prettyplease printed as one line back into one
/// `///` (or `//!`) line per doc line, indented alike.
pub(super) fn split_doc_lines(code: String) -> String {
    let Some(first) = code.find(LINE_BREAK) else { return code };
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    // `code[..copied]` is in `out`; the separator at `next` is the first one left.
    let mut copied = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        let start = code[..at].rfind('\n').map_or(0, |newline| newline + 1);
        let end = code[at..].find('\n').map_or(code.len(), |newline| at + newline);
        out.push_str(&code[copied..start]);
        let line = &code[start..end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        match line.get(..indent + 3).filter(|p| p.ends_with("///") || p.ends_with("//!")) {
            Some(prefix) => {
                for (index, part) in line[prefix.len()..].split(LINE_BREAK).enumerate() {
                    if index > 0 {
                        out.push('\n');
                    }
                    out.push_str(prefix);
                    out.push_str(part);
                }
            }
            // Only doc attributes hold the separator, and prettyplease starts
            // a line with each; anything else keeps its text on one line.
            None => out.push_str(&line.replace(LINE_BREAK, " ")),
        }
        copied = end;
        next = code[end..].find(LINE_BREAK).map(|offset| end + offset);
    }
    out.push_str(&code[copied..]);
    out
}

/// Spec prose rewritten for rustdoc, without the paragraphs that are empty.
fn converted<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> impl Iterator<Item = String> {
    paragraphs.into_iter().map(markdown).filter(|text| !text.trim().is_empty())
}

/// A doc block as a raw string literal (`r#"…"#`): a plain literal escapes
/// every character here and `syn` and prettyplease unescape it again, a raw
/// one is copied as it is. The printed doc is the same either way.
fn literal(text: &str) -> Literal {
    let mut hashes = 0;
    let mut rest = text;
    while let Some(quote) = rest.find('"') {
        rest = &rest[quote + 1..];
        hashes = hashes.max(rest.len() - rest.trim_start_matches('#').len() + 1);
    }
    let mut raw = String::with_capacity(text.len() + 2 * hashes + 3);
    raw.push('r');
    raw.extend(std::iter::repeat_n('#', hashes));
    raw.push('"');
    raw.push_str(text);
    raw.push('"');
    raw.extend(std::iter::repeat_n('#', hashes));
    // A block holds no line break (nor a lone `\r`), which is all a raw
    // string cannot hold; escape it the slow way if that ever changes.
    raw.parse().unwrap_or_else(|_| Literal::string(text))
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
    use super::{code, literal, markdown, outer_verbatim};

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
    fn a_doc_block_prints_as_one_line_per_doc_line() {
        let doc = outer_verbatim(&["First line  \nsecond \"quoted\"#", "Next paragraph."]);
        let file: syn::File = syn::parse2(quote::quote! {
            mod outer {
                #doc
                pub struct Documented;
            }
        })
        .expect("parses");
        let printed = super::split_doc_lines(prettyplease::unparse(&file));
        let expected = "mod outer {\n    /// First line\n    /// second \"quoted\"#\n    ///\n    /// Next paragraph.\n    pub struct Documented;\n}\n";
        assert_eq!(printed, expected);
    }

    #[test]
    fn a_doc_line_cannot_split_itself() {
        // The block separator in spec text is dropped (it is invisible), so
        // it cannot make a doc line of its own.
        let doc = outer_verbatim(&["one\u{1}two"]);
        let file: syn::File = syn::parse2(quote::quote!(#doc pub struct Documented;)).expect("parses");
        let printed = super::split_doc_lines(prettyplease::unparse(&file));
        assert_eq!(printed, "/// onetwo\npub struct Documented;\n");
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
