//! Changes to named types (their properties, values, alternatives and
//! targets) and to validated ids. A type change breaks the wire only in the
//! direction the old API used the type in: a caller never sends what only
//! answers hold, nor reads what only requests hold.

use std::collections::BTreeSet;

use super::usage::Use;
use super::Semver::{Major, Minor, Patch};
use super::Wire::{Breaking, Compatible};
use super::{constraints, deprecation, major_if, renames, wire_if, Change, Context, Rule};
use crate::surface::{Property, Surface, Type};

/// Types added, removed, renamed and changed.
pub(super) fn compare(cx: &Context, out: &mut Vec<Change>) {
    let (old, new) = (&cx.old.types, &cx.new.types);
    // A type from the same place in the spec under another name is renamed.
    let renamed = renames(old, new, |was, is| was.pointer == is.pointer);
    for (name, before) in old {
        let new_name = match (new.contains_key(name), renamed.get(name.as_str())) {
            (true, _) => name.as_str(),
            (false, Some(&other)) => other,
            (false, None) => {
                let used = cx.old_usage.of_type(name);
                let (operations, releases) = used.touched();
                let message = format!("type `{name}` is gone");
                out.push(
                    Change::new(Rule::TypeRemoved, Compatible, Major, &before.pointer, message)
                        .in_old()
                        .touching(operations, releases),
                );
                continue;
            }
        };
        let used = cx.old_usage.of_type(name);
        let (operations, releases) = used.touched_with(&cx.new_usage.of_type(new_name));
        let mut push = |change: Change| out.push(change.touching(operations.clone(), releases.clone()));
        let now = &new[new_name];
        if new_name != name {
            let message = format!("type `{name}` is now `{new_name}`");
            push(Change::new(Rule::TypeRenamed, Compatible, Major, &now.pointer, message));
        }
        named_type(cx, new_name, before, now, &used, &mut push);
    }
    for (name, ty) in new.iter().filter(|(name, _)| !old.contains_key(*name) && !renamed.values().any(|n| n == name)) {
        let (operations, releases) = cx.new_usage.of_type(name).touched();
        let message = format!("new {} `{name}`", ty.kind);
        out.push(Change::new(Rule::TypeAdded, Compatible, Minor, &ty.pointer, message).touching(operations, releases));
    }
}

/// The changes to one type, used as `used` by the old API.
fn named_type(cx: &Context, name: &str, before: &Type, now: &Type, used: &Use, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    let in_use = used.request || used.response;
    if before.kind != now.kind {
        let message = format!("`{name}` is now {} (was {})", with_article(&now.kind), with_article(&before.kind));
        push(Change::new(Rule::TypeKindChanged, wire_if(in_use), Major, at, message));
        return;
    }
    let rules = [Rule::TypeDeprecated, Rule::TypeUndeprecated];
    if let Some(change) = deprecation(before.deprecated, now.deprecated, rules, &format!("`{name}`"), at) {
        push(change);
    }
    for change in constraints::compare(&before.constraints, &now.constraints, used.request, &format!("`{name}`"), at) {
        push(change);
    }
    properties(cx, name, before, now, used, push);
    others(cx, name, before, now, used, push);
    values(name, before, now, used, push);
    variants(cx, name, before, now, used, push);
    if let (Some(was), Some(is)) = (&before.alias, &now.alias) {
        if was != is {
            let message = format!("alias `{name}` now names `{is}` (named `{was}`)");
            let wire = wire_if(!cx.still_works(used, was, is));
            push(Change::new(Rule::AliasTargetChanged, wire, Major, at, message));
        }
    }
}

fn properties(cx: &Context, name: &str, before: &Type, now: &Type, used: &Use, push: &mut dyn FnMut(Change)) {
    for (wire, was) in &before.properties {
        let Some(is) = now.properties.get(wire) else {
            // An old caller fails to read an answer without a property it requires.
            let breaks = used.response && !was.is_option();
            let message = format!("property `{wire}` of `{name}` is gone, and field `{}` with it", was.field);
            push(Change::new(Rule::PropertyRemoved, wire_if(breaks), Major, &was.pointer, message).in_old());
            continue;
        };
        property(cx, &format!("property `{wire}` of `{name}`"), was, is, used, push);
    }
    for (wire, is) in now.properties.iter().filter(|(wire, _)| !before.properties.contains_key(*wire)) {
        let change = if is.required {
            let read_only = is.constraints.get("readOnly") == Some(&serde_json::Value::Bool(true));
            let breaks = used.request && !read_only;
            let message = format!(
                "`{name}` has a new required property `{wire}` ({}): `{name}::new` takes it{}",
                is.ty,
                if breaks { ", and requests without it are rejected" } else { "" }
            );
            Change::new(Rule::RequiredPropertyAdded, wire_if(breaks), Major, &is.pointer, message)
        } else {
            let message = format!("`{name}` has a new optional property `{wire}` ({})", is.ty);
            Change::new(Rule::PropertyAdded, Compatible, Minor, &is.pointer, message)
        };
        push(change);
    }
}

/// Whether an old caller and the new API disagree on a property that goes
/// from `(required, nullable)` `was` to `is`: the caller leaves it out or
/// sends null where the API now requires a value, or requires a value the
/// API may now leave out or make null.
fn presence_breaks(was: (bool, bool), is: (bool, bool), used: &Use) -> bool {
    let ((was_required, was_nullable), (is_required, is_nullable)) = (was, is);
    // A caller sends null only for a required nullable field left unset.
    let rejected = (!was_required && is_required) || (was_required && was_nullable && !is_nullable);
    let was_option = !was_required || was_nullable;
    let is_option = !is_required || is_nullable;
    (used.request && rejected) || (used.response && !was_option && is_option)
}

fn property(cx: &Context, subject: &str, was: &Property, is: &Property, used: &Use, push: &mut dyn FnMut(Change)) {
    let at = &is.pointer;
    if was.ty != is.ty {
        let message = format!("{subject} is now `{}` (was `{}`)", is.ty, was.ty);
        let wire = wire_if(!cx.still_works(used, &was.ty, &is.ty));
        push(Change::new(Rule::PropertyTypeChanged, wire, Major, at, message));
    }
    if was.required != is.required {
        // `new` takes the required properties, and `with_` methods set the others.
        let breaks = presence_breaks((was.required, was.nullable), (is.required, was.nullable), used);
        let change = if is.required {
            Change::new(Rule::PropertyBecameRequired, wire_if(breaks), Major, at, format!("{subject} is now required"))
        } else {
            Change::new(Rule::PropertyBecameOptional, wire_if(breaks), Major, at, format!("{subject} is now optional"))
        };
        push(change);
    }
    if was.nullable != is.nullable {
        let breaks = presence_breaks((is.required, was.nullable), (is.required, is.nullable), used);
        // An optional field is an `Option` either way.
        let semver = major_if(is.required, Patch);
        let change = if is.nullable {
            Change::new(Rule::PropertyBecameNullable, wire_if(breaks), semver, at, format!("{subject} may now be null"))
        } else {
            let message = format!("{subject} may no longer be null");
            Change::new(Rule::PropertyBecameNonNullable, wire_if(breaks), semver, at, message)
        };
        push(change);
    }
    let rules = [Rule::PropertyDeprecated, Rule::PropertyUndeprecated];
    if let Some(change) = deprecation(was.deprecated, is.deprecated, rules, subject, at) {
        push(change);
    }
    if (&was.field, was.boxed) != (&is.field, is.boxed) {
        let boxed = |boxed: bool| if boxed { "boxed " } else { "" };
        let message = format!(
            "{subject} is now the {}field `{}` (was the {}field `{}`)",
            boxed(is.boxed),
            is.field,
            boxed(was.boxed),
            was.field
        );
        push(Change::new(Rule::RustNameChanged, Compatible, Major, at, message));
    }
    for change in constraints::compare(&was.constraints, &is.constraints, used.request, subject, at) {
        push(change);
    }
}

fn others(cx: &Context, name: &str, before: &Type, now: &Type, used: &Use, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    let change = match (&before.others, &now.others) {
        (None, Some(values)) => {
            let message = format!("`{name}` now keeps the properties it does not list, as `{values}` values");
            Change::new(Rule::AdditionalPropertiesAdded, Compatible, Minor, at, message)
        }
        (Some(_), None) => {
            let message = format!("`{name}` no longer keeps the properties it does not list");
            Change::new(Rule::AdditionalPropertiesRemoved, Compatible, Major, at, message)
        }
        (Some(was), Some(is)) if was != is => {
            let message = format!("the unlisted properties of `{name}` are now `{is}` values (were `{was}`)");
            let wire = wire_if(!cx.still_works(used, was, is));
            Change::new(Rule::AdditionalPropertiesTypeChanged, wire, Major, at, message)
        }
        _ => return,
    };
    push(change);
}

fn values(name: &str, before: &Type, now: &Type, used: &Use, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    for (value, variant) in &before.values {
        match now.values.get(value) {
            // A caller may send a value the API no longer takes; it never
            // reads one the API no longer sends.
            None => {
                let message = format!("`{name}` has no value `{value}`, nor variant `{variant}`");
                push(
                    Change::new(Rule::EnumValueRemoved, wire_if(used.request), Major, &before.pointer, message)
                        .in_old(),
                );
            }
            Some(now_variant) if now_variant != variant => {
                let message =
                    format!("value `{value}` of `{name}` is now the variant `{now_variant}` (was `{variant}`)");
                push(Change::new(Rule::RustNameChanged, Compatible, Major, at, message));
            }
            Some(_) => {}
        }
    }
    for (value, variant) in now.values.iter().filter(|(value, _)| !before.values.contains_key(*value)) {
        // Old callers read it into the fallback variant.
        let message = format!("`{name}` has a new value `{value}` (variant `{variant}`)");
        push(Change::new(Rule::EnumValueAdded, Compatible, Minor, at, message));
    }
}

fn variants(cx: &Context, name: &str, before: &Type, now: &Type, used: &Use, push: &mut dyn FnMut(Change)) {
    let at = &now.pointer;
    let in_use = used.request || used.response;
    if before.discriminator != now.discriminator {
        let show = |property: &Option<String>| property.as_deref().map_or("none".to_owned(), |p| format!("`{p}`"));
        let message =
            format!("`{name}` is now told apart by {} (was {})", show(&now.discriminator), show(&before.discriminator));
        push(Change::new(Rule::UnionDiscriminatorChanged, wire_if(in_use), Major, at, message));
    }
    for (variant, was) in &before.variants {
        match now.variants.get(variant) {
            None => {
                let message = format!("`{name}` has no alternative `{variant}` (`{}`)", was.ty);
                let change =
                    Change::new(Rule::UnionVariantRemoved, wire_if(used.request), Major, &before.pointer, message);
                push(change.in_old());
            }
            Some(is) if is != was => {
                let breaks = in_use && (was.tags != is.tags || !cx.still_works(used, &was.ty, &is.ty));
                let message = format!(
                    "alternative `{variant}` of `{name}` is now `{}`{} (was `{}`{})",
                    is.ty,
                    tags(&is.tags),
                    was.ty,
                    tags(&was.tags)
                );
                push(Change::new(Rule::UnionVariantChanged, wire_if(breaks), Major, at, message));
            }
            Some(_) => {}
        }
    }
    for (variant, is) in now.variants.iter().filter(|(variant, _)| !before.variants.contains_key(*variant)) {
        // Old callers keep a value of it in the fallback variant.
        let message = format!("`{name}` has a new alternative `{variant}` (`{}`{})", is.ty, tags(&is.tags));
        push(Change::new(Rule::UnionVariantAdded, Compatible, Minor, at, message));
    }
}

fn tags(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(" when {}", tags.iter().map(|tag| format!("`{tag}`")).collect::<Vec<_>>().join(" or "))
    }
}

/// Validated id types added, removed, or given another pattern.
pub(super) fn compare_ids(cx: &Context, out: &mut Vec<Change>) {
    for (name, before) in &cx.old.ids {
        let (operations, releases) = id_users(cx.old, name);
        match cx.new.ids.get(name) {
            None => {
                let message = format!("id type `{name}` is gone");
                out.push(
                    Change::new(Rule::IdRemoved, Compatible, Major, &before.pointer, message)
                        .in_old()
                        .touching(operations, releases),
                );
            }
            Some(now) if now.pattern != before.pattern => {
                // Whether the new pattern takes every id the old one did is not
                // decided here: assume it may not.
                let message = format!(
                    "`{name}` must now match `{}` (was `{}`): ids the old pattern took may be refused",
                    now.pattern, before.pattern
                );
                out.push(
                    Change::new(Rule::IdPatternChanged, Breaking, Major, &now.pointer, message)
                        .touching(operations, releases),
                );
            }
            Some(_) => {}
        }
    }
    for (name, now) in cx.new.ids.iter().filter(|(name, _)| !cx.old.ids.contains_key(*name)) {
        let (operations, releases) = id_users(cx.new, name);
        let message = format!("new id type `{name}` (`{}`)", now.pattern);
        out.push(Change::new(Rule::IdAdded, Compatible, Minor, &now.pointer, message).touching(operations, releases));
    }
}

/// The operations with a parameter of id type `name`, and the releases they exist at.
fn id_users(surface: &Surface, name: &str) -> (Vec<String>, Vec<String>) {
    let mut releases = BTreeSet::new();
    let mut operations = Vec::new();
    for op in surface.operations.values().filter(|op| op.parameters.values().any(|p| p.ty == name)) {
        operations.push(op.operation_id.clone());
        releases.extend(surface.releases_with(op));
    }
    operations.sort();
    (operations, releases.into_iter().collect())
}

/// `a struct`, `an enum`.
fn with_article(kind: &str) -> String {
    let article = if matches!(kind, "alias" | "enum") { "an" } else { "a" };
    format!("{article} {kind}")
}
