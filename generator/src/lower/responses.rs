//! Responses and request bodies: resource versions come from the success
//! responses' media types (`application/vnd.atlas.YYYY-MM-DD+json`), error
//! types from the 4xx/5xx/default responses, and each version gets the
//! request body of its own version or the newest older one.

use std::collections::BTreeMap;

use super::node::Node;
use super::refs::Section;
use super::schema::Ty;
use super::Lowering;
use crate::ir::*;

/// The success and error responses of an operation, by body format.
pub(super) struct Responses {
    /// The JSON resource versions, oldest first.
    pub(super) json: Vec<ResourceVersion<Target>>,
    /// Other formats (`csv`, `gzip`), each with its versions.
    pub(super) raw: BTreeMap<String, Vec<ResourceVersion<Target>>>,
    pub(super) errors: Vec<(u16, String)>,
    pub(super) error_type: Ty,
}

/// The request body of an operation: where it is, whether it is required,
/// its description, and its type per resource version.
#[derive(Clone)]
pub(super) struct Bodies<'a> {
    node: Node<'a>,
    required: bool,
    description: Option<String>,
    by_version: Vec<(ApiDate, Ty)>,
}

/// One versioned media type of one success response.
struct VersionedBody {
    status: u16,
    media_type: String,
    pointer: String,
    ty: Option<Ty>,
    sunset: Option<ApiDate>,
    description: String,
}

impl VersionedBody {
    fn version(&self, date: ApiDate, body: SuccessBody<Target>) -> ResourceVersion<Target> {
        ResourceVersion {
            date,
            media_type: self.media_type.clone(),
            pointer: self.pointer.clone(),
            // Named, and the deprecation completed, by the operation.
            function: String::new(),
            request: None,
            response: SuccessResponse { status: self.status, body, description: self.description.clone() },
            deprecation: self.sunset.map(|sunset| Deprecation { sunset: Some(sunset) }),
            // Decided once every type has its name.
            paged: false,
        }
    }
}

impl<'a> Lowering<'a> {
    /// Versions come from the success response's media types; errors from
    /// the 4xx/5xx/default responses.
    pub(super) fn responses(&mut self, operation: &Node<'a>, hint: &str) -> Option<Responses> {
        let Some(responses) = self.object_member(operation, "responses") else {
            if !operation.has("responses") {
                self.error(&operation.pointer, "the operation has no `responses`");
            }
            return None;
        };
        let mut entries: Vec<(u16, Node<'a>)> = Vec::new();
        for (key, response) in responses.entries() {
            if key.starts_with("x-") {
                continue;
            }
            let code = match key {
                "default" => 0,
                _ => match key.parse::<u16>() {
                    Ok(code) if (100..600).contains(&code) && key.len() == 3 => code,
                    _ if key.len() == 3 && key.to_ascii_uppercase().ends_with("XX") => {
                        self.error(&response.pointer, format!("status ranges such as `{key}` are not supported"));
                        continue;
                    }
                    _ => {
                        self.error(&response.pointer, format!("`{key}` is not an HTTP status code"));
                        continue;
                    }
                },
            };
            entries.push((code, response));
        }
        entries.sort_by_key(|(code, _)| *code);

        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut error_types = Vec::new();
        for (code, response) in entries {
            let Some(response) = self.follow(Section::Responses, &response) else { continue };
            let description = self.string_member(&response, "description").unwrap_or_default().to_owned();
            if (200..300).contains(&code) {
                successes.push((code, response, description));
                continue;
            }
            errors.push((code, description));
            let Some(content) = self.object_member(&response, "content") else { continue };
            for (_, media) in content.entries() {
                if !self.expect_object(&media, "a media type object") {
                    continue;
                }
                if let Some(schema) = media.get("schema") {
                    error_types.push(self.schema(&schema, &format!("{hint}Error"), None));
                }
            }
        }
        let error_type = match error_types.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => first.clone(),
            _ => Type::Any,
        };

        let responses_pointer = responses.pointer.clone();
        if successes.is_empty() {
            self.error(&responses_pointer, "the operation has no 2xx response");
            return None;
        }

        // Every versioned media type of every 2xx response, by format.
        let mut json: BTreeMap<ApiDate, Vec<VersionedBody>> = BTreeMap::new();
        let mut raw: BTreeMap<String, BTreeMap<ApiDate, VersionedBody>> = BTreeMap::new();
        let mut bodiless = false;
        for (status, success, description) in &successes {
            let mut versioned = false;
            let content = self.object_member(success, "content");
            for (media_type, media) in content.iter().flat_map(Node::entries) {
                if !self.expect_object(&media, "a media type object") {
                    continue;
                }
                let Some((date, suffix)) = self.media_type_version(media_type, &media) else { continue };
                versioned = true;
                let found = VersionedBody {
                    status: *status,
                    media_type: media_type.to_owned(),
                    pointer: media.pointer.clone(),
                    ty: media.get("schema").map(|schema| self.schema(&schema, &format!("{hint}Response"), None)),
                    sunset: self.sunset(&media),
                    description: description.clone(),
                };
                if suffix == "json" {
                    json.entry(date).or_default().push(found);
                } else {
                    raw.entry(suffix).or_default().entry(date).or_insert(found);
                }
            }
            // A 204 without content is a bodiless success at every version.
            if !versioned {
                if successes.len() == 1 {
                    self.error(
                        &success.pointer,
                        "the success response has no versioned media type (`application/vnd.atlas.YYYY-MM-DD+json`), so no API release can include the operation",
                    );
                    return None;
                }
                bodiless = true;
            }
        }
        if json.is_empty() && raw.is_empty() {
            self.error(
                &responses_pointer,
                "no success response has a versioned media type, so no API release can include the operation",
            );
            return None;
        }

        let mut json_versions = Vec::new();
        for (date, bodies) in json {
            let typed: Vec<&VersionedBody> = bodies.iter().filter(|b| b.ty.is_some()).collect();
            if let Some((first, rest)) = typed.split_first() {
                if let Some(other) = rest.iter().find(|b| b.ty != first.ty) {
                    self.error(
                        &responses_pointer,
                        format!(
                            "the {} and {} responses of version {date} have different bodies; one success type per version is supported",
                            first.status, other.status
                        ),
                    );
                    return None;
                }
            }
            let Some(primary) = typed.first().copied().or(bodies.first()) else { continue };
            let body = match &primary.ty {
                Some(ty) if bodiless || typed.len() < bodies.len() => SuccessBody::JsonOrEmpty(ty.clone()),
                Some(ty) => SuccessBody::Json(ty.clone()),
                None => SuccessBody::Empty,
            };
            json_versions.push(primary.version(date, body));
        }
        let raw = raw
            .into_iter()
            .map(|(suffix, versions)| {
                let versions =
                    versions.into_iter().map(|(date, found)| found.version(date, SuccessBody::Raw)).collect();
                (suffix, versions)
            })
            .collect();
        Some(Responses { json: json_versions, raw, errors, error_type })
    }

    /// The resource version of a versioned media type; `None` (with a
    /// diagnostic) for one that is malformed or not supported.
    fn media_type_version(&mut self, media_type: &str, media: &Node<'a>) -> Option<(ApiDate, String)> {
        let (version, suffix) = match parse_versioned_media_type(media_type) {
            MediaTypeVersion::Dated(date, suffix) => (date, suffix),
            MediaTypeVersion::Unversioned => return None,
            MediaTypeVersion::Malformed(text) => {
                self.error(
                    &media.pointer,
                    format!("`{text}` in the media type `{media_type}` is not a valid date `YYYY-MM-DD`"),
                );
                return None;
            }
            MediaTypeVersion::Unsupported(reason) => {
                self.error(&media.pointer, format!("the media type `{media_type}` is not supported yet: {reason}"));
                return None;
            }
        };
        if let Some(declared) = media.get("x-xgen-version") {
            if declared.value.as_str() != Some(version.to_string().as_str()) {
                self.error(
                    &declared.pointer,
                    format!("`x-xgen-version: {}` does not match the media type `{media_type}`", declared.value),
                );
            }
        }
        Some((version, suffix))
    }

    /// The request body of each version found, lowered whether or not the
    /// responses are usable: `Some(None)` without a body, `None` when the
    /// body itself is broken.
    pub(super) fn request_bodies(&mut self, operation: &Node<'a>, hint: &str) -> Option<Option<Bodies<'a>>> {
        let Some(declared) = operation.get("requestBody") else { return Some(None) };
        let body = self.follow(Section::RequestBodies, &declared)?;
        let required = self.bool_member(&body, "required");
        let description = self.string_member(&body, "description").map(str::to_owned);
        let mut by_version = Vec::new();
        let content = self.object_member(&body, "content");
        if content.is_none() && !body.has("content") {
            self.error(&body.pointer, "the request body has no `content`");
        }
        for (media_type, media) in content.iter().flat_map(Node::entries) {
            if !self.expect_object(&media, "a media type object") {
                continue;
            }
            let Some((date, suffix)) = self.media_type_version(media_type, &media) else {
                if !media_type.starts_with("application/vnd.atlas.") {
                    self.error(&media.pointer, format!("request media type `{media_type}` is not versioned; Atlas request bodies use `application/vnd.atlas.YYYY-MM-DD+json`"));
                }
                continue;
            };
            if suffix != "json" {
                self.error(
                    &media.pointer,
                    format!("request media type `{media_type}` is not JSON; only JSON request bodies are generated"),
                );
                continue;
            }
            let ty = match media.get("schema") {
                Some(schema) => self.schema(&schema, &format!("{hint}Request"), None),
                None => Type::Any,
            };
            by_version.push((date, ty));
        }
        Some(Some(Bodies { node: declared, required, description, by_version }))
    }

    /// For each resource version, the request body of the same version, or
    /// else the newest older one (as Atlas's own split tool does).
    pub(super) fn attach_request_bodies(
        &mut self,
        mut versions: Vec<ResourceVersion<Target>>,
        bodies: Option<Bodies<'a>>,
    ) -> Vec<ResourceVersion<Target>> {
        let Some(bodies) = bodies else { return versions };
        for version in &mut versions {
            match bodies.by_version.iter().rev().find(|(date, _)| *date <= version.date) {
                Some((_, ty)) => {
                    version.request = Some(RequestBody {
                        ty: ty.clone(),
                        required: bodies.required,
                        description: bodies.description.clone(),
                    })
                }
                None if !bodies.by_version.is_empty() => self.error(
                    &bodies.node.pointer,
                    format!("resource version {} has no request body of that version or older", version.date),
                ),
                None => {}
            }
        }
        versions
    }
}

/// What the version part of a media type says.
enum MediaTypeVersion {
    /// A dated version and the format after `+` (`json`, `csv`, `gzip`).
    Dated(ApiDate, String),
    Unversioned,
    Malformed(String),
    Unsupported(&'static str),
}

fn parse_versioned_media_type(media_type: &str) -> MediaTypeVersion {
    let Some(rest) = media_type.strip_prefix("application/vnd.atlas.") else {
        return MediaTypeVersion::Unversioned;
    };
    let Some((version, suffix)) = rest.split_once('+') else {
        return MediaTypeVersion::Malformed(rest.to_owned());
    };
    if version == "preview" {
        return MediaTypeVersion::Unsupported("preview resource versions are not generated");
    }
    if version.ends_with(".upcoming") {
        return MediaTypeVersion::Unsupported("upcoming resource versions are not generated");
    }
    if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return MediaTypeVersion::Malformed(rest.to_owned());
    }
    match ApiDate::parse(version) {
        Some(date) => MediaTypeVersion::Dated(date, suffix.to_owned()),
        None => MediaTypeVersion::Malformed(version.to_owned()),
    }
}
