//! Changes to API releases and operations: their parameters, resource
//! versions and bodies, and which resource version each release sends.

use std::collections::BTreeMap;

use super::constraints;
use super::Semver::{Major, Minor, Patch};
use super::Wire::{Breaking, Compatible};
use super::{deprecation, major_if, renames, wire_if, Change, Context, Rule};
use crate::surface::{Operation, Parameter, Version};

/// Releases added and removed, and where `latest` points.
pub(super) fn compare_releases(cx: &Context, out: &mut Vec<Change>) {
    let (old, new) = (&cx.old.releases, &cx.new.releases);
    for release in new.iter().filter(|release| !old.contains(release)) {
        let message = format!("new API release {release}, with its module `{}`", module(release));
        out.push(
            Change::new(Rule::ApiReleaseAdded, Compatible, Minor, "", message)
                .touching(first_at(cx.new.operations.values(), release), vec![release.clone()]),
        );
    }
    for release in old.iter().filter(|release| !new.contains(release)) {
        let message = format!("API release {release} and its module `{}` are gone", module(release));
        out.push(
            Change::new(Rule::ApiReleaseRemoved, Compatible, Major, "", message)
                .in_old()
                .touching(first_at(cx.old.operations.values(), release), vec![release.clone()]),
        );
    }
    if let (Some(before), Some(now)) = (old.last(), new.last()) {
        if before != now {
            let message = format!(
                "`latest` now follows API release {now} (it followed {before}); code built with the \
                 `unstable-latest` feature may need changes"
            );
            out.push(
                Change::new(Rule::LatestMoved, Compatible, Patch, "", message).touching(Vec::new(), vec![now.clone()]),
            );
        }
    }
}

/// The release module's name.
fn module(release: &str) -> String {
    format!("v{}", release.replace('-', "_"))
}

/// The operations with a resource version dated `release`.
fn first_at<'a>(operations: impl Iterator<Item = &'a Operation>, release: &str) -> Vec<String> {
    operations.filter(|op| op.versions.contains_key(release)).map(|op| op.operation_id.clone()).collect()
}

/// Operations added, removed, renamed and changed.
pub(super) fn compare(cx: &Context, out: &mut Vec<Change>) {
    let (old, new) = (&cx.old.operations, &cx.new.operations);
    // An operation whose Rust name changed but whose method and path did not
    // is renamed, not removed and added.
    let renamed = renames(old, new, |was, is| (&was.method, &was.path) == (&is.method, &is.path));
    for (name, op) in old {
        let (new_name, now) = match new.get(name) {
            Some(now) => (name.as_str(), now),
            None => match renamed.get(name.as_str()) {
                Some(&other) => (other, &new[other]),
                None => {
                    let message = format!("operation `{}` ({} {}) is gone", op.operation_id, op.method, op.path);
                    out.push(
                        Change::new(Rule::OperationRemoved, Breaking, Major, &op.pointer, message)
                            .in_old()
                            .touching(vec![op.operation_id.clone()], cx.old.releases_with(op)),
                    );
                    continue;
                }
            },
        };
        if new_name != name {
            let message = format!(
                "operation `{}` is now `{}` in Rust (`operationId` `{}`, was `{}`): its module and functions are renamed",
                name, new_name, now.operation_id, op.operation_id
            );
            out.push(
                Change::new(Rule::OperationRenamed, Compatible, Major, &now.pointer, message)
                    .touching(vec![now.operation_id.clone()], cx.new.releases_with(now)),
            );
        }
        operation(cx, name, op, now, out);
    }
    for (name, op) in new.iter().filter(|(name, _)| !old.contains_key(*name) && !renamed.values().any(|n| n == name)) {
        let message =
            format!("new operation `{}` ({} {}), module `operations::{name}`", op.operation_id, op.method, op.path);
        out.push(
            Change::new(Rule::OperationAdded, Compatible, Minor, &op.pointer, message)
                .touching(vec![op.operation_id.clone()], cx.new.releases_with(op)),
        );
    }
}

/// The changes to one operation, `name` in Rust before.
fn operation(cx: &Context, name: &str, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let id = &new.operation_id;
    let touching = |change: Change| change.touching(vec![id.clone()], cx.old.releases_with(old));
    let rules = [Rule::OperationDeprecated, Rule::OperationUndeprecated];
    if let Some(change) = deprecation(old.deprecated, new.deprecated, rules, &format!("operation `{id}`"), &new.pointer)
    {
        out.push(touching(change));
    }
    if (&old.method, &old.path) != (&new.method, &new.path) {
        let message =
            format!("operation `{id}` is now `{} {}` (was `{} {}`)", new.method, new.path, old.method, old.path);
        out.push(touching(Change::new(Rule::OperationPathChanged, Breaking, Patch, &new.pointer, message)));
    }
    if old.errors != new.errors {
        let message = format!("the error bodies of `{id}` are now `{}` (were `{}`)", new.errors, old.errors);
        let wire = wire_if(!cx.still_read(&old.errors, &new.errors));
        out.push(touching(Change::new(Rule::ErrorTypeChanged, wire, Major, &new.pointer, message)));
    }
    parameters(cx, old, new, out);
    let kept_before: Vec<&String> = old.arguments.iter().filter(|key| new.arguments.contains(key)).collect();
    let kept_now: Vec<&String> = new.arguments.iter().filter(|key| old.arguments.contains(key)).collect();
    if kept_before != kept_now {
        let message = format!(
            "the endpoint functions of `{id}` take their arguments in another order: {} (was {})",
            new.arguments.join(", "),
            old.arguments.join(", ")
        );
        out.push(touching(Change::new(Rule::ArgumentsReordered, Compatible, Major, &new.pointer, message)));
    }
    versions(cx, name, old, new, out);
    release_versions(cx, old, new, out);
}

fn parameters(cx: &Context, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let id = &new.operation_id;
    let touching = |change: Change| change.touching(vec![id.clone()], cx.old.releases_with(old));
    for (key, before) in &old.parameters {
        let Some(now) = new.parameters.get(key) else {
            let message = format!("parameter `{key}` of `{id}` is gone");
            out.push(touching(
                Change::new(Rule::ParameterRemoved, Compatible, Major, &before.pointer, message).in_old(),
            ));
            continue;
        };
        parameter(cx, key, id, before, now, &mut |change| out.push(touching(change)));
    }
    for (key, now) in new.parameters.iter().filter(|(key, _)| !old.parameters.contains_key(*key)) {
        let change = if now.required {
            let message = format!(
                "`{id}` has a new required parameter `{key}` ({}): callers that leave it out are rejected",
                now.ty
            );
            Change::new(Rule::RequiredParameterAdded, Breaking, Major, &now.pointer, message)
        } else if old.query.is_none() {
            let message = format!(
                "`{id}` has a new optional parameter `{key}` ({}); its first, so the endpoint functions take a `query` argument",
                now.ty
            );
            Change::new(Rule::ParameterAdded, Compatible, Major, &now.pointer, message)
        } else {
            let message = format!("`{id}` has a new optional parameter `{key}` ({})", now.ty);
            Change::new(Rule::ParameterAdded, Compatible, Minor, &now.pointer, message)
        };
        out.push(touching(change));
    }
}

fn parameter(cx: &Context, key: &str, id: &str, before: &Parameter, now: &Parameter, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    if before.required != now.required {
        let change = if now.required {
            let message =
                format!("parameter `{key}` of `{id}` is now required: callers that leave it out are rejected");
            Change::new(Rule::ParameterBecameRequired, Breaking, Major, at, message)
        } else {
            let message = format!("parameter `{key}` of `{id}` is now optional: it moves to the query struct");
            Change::new(Rule::ParameterBecameOptional, Compatible, Major, at, message)
        };
        push(change);
    }
    if before.ty != now.ty {
        let message = format!("parameter `{key}` of `{id}` is now `{}` (was `{}`)", now.ty, before.ty);
        let wire = wire_if(!cx.still_sent(&before.ty, &now.ty));
        push(Change::new(Rule::ParameterTypeChanged, wire, Major, at, message));
    }
    let subject = format!("parameter `{key}` of `{id}`");
    for change in constraints::compare(&before.constraints, &now.constraints, true, &subject, at) {
        push(change);
    }
}

fn versions(cx: &Context, name: &str, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let id = &new.operation_id;
    for (date, before) in &old.versions {
        let touching = |change: Change| change.touching(vec![id.clone()], cx.old.releases_sending(old, date));
        let Some(now) = new.versions.get(date) else {
            let function = format!("{name}_{}", date.replace('-', "_"));
            let change = match &before.sunset {
                Some(sunset) => {
                    let message = format!(
                        "resource version {date} of `{id}` is gone, as announced for {sunset}; so is `{function}`"
                    );
                    Change::new(Rule::ResourceVersionSunset, Breaking, Major, &before.pointer, message)
                }
                None => {
                    let message = format!("resource version {date} of `{id}` is gone, and `{function}` with it");
                    Change::new(Rule::ResourceVersionRemoved, Breaking, Major, &before.pointer, message)
                }
            };
            out.push(touching(change.in_old()));
            continue;
        };
        version(cx, id, date, before, now, &mut |change| out.push(touching(change)));
    }
    for (date, now) in new.versions.iter().filter(|(date, _)| !old.versions.contains_key(*date)) {
        let message = format!("`{id}` has a new resource version {date} ({})", now.media_type);
        out.push(
            Change::new(Rule::ResourceVersionAdded, Compatible, Minor, &now.pointer, message)
                .touching(vec![id.clone()], cx.new.releases_sending(new, date)),
        );
    }
}

fn version(cx: &Context, id: &str, date: &str, before: &Version, now: &Version, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    let subject = format!("resource version {date} of `{id}`");
    if before.media_type != now.media_type {
        let message = format!("{subject} is now `{}` (was `{}`)", now.media_type, before.media_type);
        push(Change::new(Rule::MediaTypeChanged, Breaking, Patch, at, message));
    }
    match (&before.request, &now.request) {
        (None, Some(body)) => {
            let message = format!(
                "{subject} takes a{} request body `{}`; its function takes it as an argument",
                if body.required { " required" } else { "n optional" },
                body.ty
            );
            push(Change::new(Rule::RequestBodyAdded, wire_if(body.required), Major, at, message));
        }
        (Some(body), None) => {
            let message = format!("{subject} no longer takes a request body (it took `{}`)", body.ty);
            push(Change::new(Rule::RequestBodyRemoved, Compatible, Major, at, message));
        }
        (Some(was), Some(body)) => {
            if was.ty != body.ty {
                let message = format!("the request body of {subject} is now `{}` (was `{}`)", body.ty, was.ty);
                let wire = wire_if(!cx.still_sent(&was.ty, &body.ty));
                push(Change::new(Rule::RequestBodyTypeChanged, wire, Major, at, message));
            }
            if was.required != body.required {
                let change = if body.required {
                    let message = format!("the request body of {subject} is now required");
                    Change::new(Rule::RequestBodyBecameRequired, Breaking, Major, at, message)
                } else {
                    let message = format!("the request body of {subject} is now optional");
                    Change::new(Rule::RequestBodyBecameOptional, Compatible, Major, at, message)
                };
                push(change);
            }
        }
        (None, None) => {}
    }
    if before.response != now.response {
        let message = format!("the success body of {subject} is now `{}` (was `{}`)", now.response, before.response);
        let wire = wire_if(!cx.still_read(&before.response, &now.response));
        push(Change::new(Rule::ResponseBodyTypeChanged, wire, Major, at, message));
    }
    if before.status != now.status {
        let message = format!(
            "{subject} documents success as {} (was {}); any 2xx is read as success",
            now.status, before.status
        );
        push(Change::new(Rule::SuccessStatusChanged, Compatible, Patch, at, message));
    }
    let sunset = |version: &Version| version.sunset.as_ref().map(|date| format!(", sunset {date}")).unwrap_or_default();
    if before.deprecated != now.deprecated {
        let change = if now.deprecated {
            let message = format!("{subject} is deprecated{}", sunset(now));
            Change::new(Rule::ResourceVersionDeprecated, Compatible, Minor, at, message)
        } else {
            let message = format!("{subject} is no longer deprecated");
            Change::new(Rule::ResourceVersionUndeprecated, Compatible, Patch, at, message)
        };
        push(change);
    } else if before.sunset != now.sunset {
        let message = match &now.sunset {
            Some(date) => format!(
                "{subject} is removed on {date}{}",
                before.sunset.as_ref().map(|was| format!(" (was {was})")).unwrap_or_default()
            ),
            None => format!("{subject} no longer has a sunset date"),
        };
        push(Change::new(Rule::ResourceVersionSunsetChanged, Compatible, Patch, at, message));
    }
}

/// Releases that send another resource version of an operation, one change
/// per pair of versions.
fn release_versions(cx: &Context, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let mut moved: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for release in cx.old.releases.iter().filter(|release| cx.new.releases.contains(release)) {
        if let (Some((before, _)), Some((now, _))) = (old.version_at(release), new.version_at(release)) {
            if before != now {
                moved.entry((before, now)).or_default().push(release.clone());
            }
        }
    }
    let id = &new.operation_id;
    for ((before, now), releases) in moved {
        let (was, is) = (&old.versions[before], &new.versions[now]);
        let same_signature = was.request == is.request && was.response == is.response;
        let message = format!(
            "release{} {} now send{} resource version {now} of `{id}` (sent {before}){}",
            if releases.len() == 1 { "" } else { "s" },
            releases.join(", "),
            if releases.len() == 1 { "s" } else { "" },
            if same_signature { ", with the same Rust signature" } else { ", whose function has another signature" }
        );
        out.push(
            Change::new(
                Rule::ReleaseResourceVersionChanged,
                Compatible,
                major_if(!same_signature, Patch),
                &is.pointer,
                message,
            )
            .touching(vec![id.clone()], releases),
        );
    }
}
