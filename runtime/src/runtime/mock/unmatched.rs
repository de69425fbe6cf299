//! Requests no expectation matched: 406 for a known operation asked for a
//! media type it does not declare, else 404, recorded with the closest
//! expectation and how the request differs from it.

use std::fmt;
use std::sync::Arc;

use wiremock::{Request, Respond, ResponseTemplate};

use super::expectation::atlas_error;
use super::State;

/// One part of a request that is not what an expectation wants.
pub(super) struct Difference {
    pub(super) part: &'static str,
    pub(super) expected: String,
    pub(super) got: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected `{}`, got `{}`", self.part, self.expected, self.got)
    }
}

/// The lowest-priority responder: whatever reaches it matched nothing else.
pub(super) struct CatchAll(pub(super) Arc<State>);

impl Respond for CatchAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = &*self.0;
        let (method, path) = (request.method.as_str(), request.url.path());
        let accept = request.headers.get(http::header::ACCEPT).and_then(|value| value.to_str().ok());
        if let Some(operation) = state.operations.iter().find(|operation| operation.serves(method, path)) {
            if !accept.is_some_and(|accept| operation.media_types.contains(&accept)) {
                // What Atlas answers; not a test failure in itself.
                let detail = format!(
                    "`{}` serves the media types {:?}; the request's Accept is {accept:?}.",
                    operation.id, operation.media_types
                );
                return atlas_error(406, None, "Not Acceptable", &detail);
            }
        }
        let line = format!("{} matched no expectation; {}", describe_wire_request(request), closest(state, request));
        State::lock(&state.unmatched).push(line.clone());
        atlas_error(404, None, "Not Found", &format!("mock Atlas: {line}"))
    }
}

/// The expectation a request came closest to, and how it differs; a
/// different method or path weighs more than the query, headers or body.
fn closest(state: &State, request: &Request) -> String {
    let expectations = State::lock(&state.expectations);
    let scored = expectations.iter().map(|declared| {
        let differences = declared.request.differences(request);
        let weight: usize =
            differences.iter().map(|difference| if matches!(difference.part, "method" | "path") { 3 } else { 1 }).sum();
        (weight, declared, differences)
    });
    let Some((_, declared, differences)) = scored.min_by_key(|(weight, _, _)| *weight) else {
        return "no expectation was declared".to_owned();
    };
    if differences.is_empty() && declared.exhausted() {
        return format!("expectation {} matches but already got all its requests", declared.name);
    }
    let differences: Vec<String> = differences.iter().map(ToString::to_string).collect();
    format!("closest: expectation {}, which differs in {}", declared.name, differences.join("; "))
}

/// `GET /path?query` of a request an endpoint function built.
pub(super) fn describe_request(request: &http::Request<Vec<u8>>) -> String {
    let target = request.uri().path_and_query().map_or("/", http::uri::PathAndQuery::as_str);
    format!("{} {target}", request.method())
}

/// `GET /path?query` of a request the server received.
fn describe_wire_request(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// Whether a request path fits a path template such as
/// `/api/atlas/v2/orgs/{orgId}/invites`: segment by segment, a `{name}`
/// standing for any non-empty text between the literal text around it.
pub(super) fn path_fits_template(path: &str, template: &str) -> bool {
    let (mut path, mut template) = (path.split('/'), template.split('/'));
    loop {
        match (path.next(), template.next()) {
            (None, None) => return true,
            (Some(segment), Some(pattern)) if segment_fits(segment, pattern) => {}
            _ => return false,
        }
    }
}

fn segment_fits(segment: &str, pattern: &str) -> bool {
    let Some((before, rest)) = pattern.split_once('{') else { return segment == pattern };
    let Some((_, after)) = rest.split_once('}') else { return segment == pattern };
    segment.len() > before.len() + after.len() && segment.starts_with(before) && segment.ends_with(after)
}
