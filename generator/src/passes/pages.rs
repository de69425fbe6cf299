//! Finds the operations that answer one page of results at a time, and the
//! structs that are such pages, by their shape rather than their names.
//!
//! A resource version of an operation is paged when
//!
//! 1. the operation is a `GET` whose query parameters include `pageNum` and
//!    `itemsPerPage`, both integers, and
//! 2. its success body is a named struct with a property `results` that is
//!    an array (of the items), and a property `links` that is an array of
//!    a named struct with a string property `rel`.
//!
//! That is how Atlas pages its lists: `{results, totalCount, links}`, with
//! a link whose `rel` is `next` while there are more. `totalCount` is not
//! part of the rule: it is an estimate, and paging never reads it. Each
//! struct that is the body of a paged version becomes a [`PageType`], which
//! the generated crate implements the runtime's `Paginated` trait for.

use std::collections::BTreeMap;

use crate::ir::{Api, Field, Method, Operation, PageField, PageType, ParameterLocation, SuccessBody, Type, TypeKind};

/// Marks the paged resource versions and lists the structs they answer.
pub fn find_pages(api: &mut Api) {
    let mut pages = BTreeMap::new();
    let mut paged = Vec::new();
    for (index, operation) in api.operations.iter().enumerate() {
        if !takes_page_parameters(operation) {
            continue;
        }
        for (version_index, version) in operation.versions.iter().enumerate() {
            let SuccessBody::Json(Type::Named(body)) = &version.response.body else { continue };
            if let Some(page) = page_type(api, body) {
                paged.push((index, version_index));
                pages.entry(page.name.clone()).or_insert(page);
            }
        }
    }
    for (operation, version) in paged {
        api.operations[operation].versions[version].paged = true;
    }
    api.pages = pages.into_values().collect();
}

/// A `GET` with the integer query parameters `pageNum` and `itemsPerPage`.
fn takes_page_parameters(operation: &Operation) -> bool {
    let integer_query = |name: &str| {
        operation.parameters.iter().any(|parameter| {
            parameter.location == ParameterLocation::Query
                && parameter.wire_name == name
                && matches!(parameter.ty, Type::Integer(_))
        })
    };
    operation.method == Method::Get && integer_query("pageNum") && integer_query("itemsPerPage")
}

/// The struct named `name` as a page: a `results` array, and `links` whose
/// items are a struct with a string `rel`.
fn page_type(api: &Api, name: &str) -> Option<PageType> {
    let page = object(api, name)?;
    let results = property(page, "results")?;
    let Type::Array(item) = &results.ty else { return None };
    let links = property(page, "links")?;
    let Type::Array(link) = &links.ty else { return None };
    let Type::Named(link) = &**link else { return None };
    let rel = property(object(api, link)?, "rel")?;
    if rel.ty != Type::String {
        return None;
    }
    Some(PageType {
        name: name.to_owned(),
        results: page_field(results),
        item: (**item).clone(),
        links: page_field(links),
        rel: page_field(rel),
    })
}

fn object<'a>(api: &'a Api, name: &str) -> Option<&'a [Field]> {
    match &api.type_named(name)?.kind {
        TypeKind::Struct(object) => Some(&object.fields),
        _ => None,
    }
}

fn property<'a>(fields: &'a [Field], wire_name: &str) -> Option<&'a Field> {
    fields.iter().find(|field| field.wire_name == wire_name)
}

fn page_field(field: &Field) -> PageField {
    PageField { rust_name: field.rust_name.clone(), optional: field.is_option() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ApiDate, IntegerKind, Parameter, ResourceVersion, Struct, SuccessResponse, TypeDef};

    fn field(wire_name: &str, ty: Type, required: bool) -> Field {
        Field {
            wire_name: wire_name.to_owned(),
            rust_name: wire_name.to_owned(),
            pointer: String::new(),
            ty,
            required,
            nullable: false,
            read_only: false,
            description: None,
            pattern: None,
            deprecated: false,
            boxed: false,
        }
    }

    fn object(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            spec_name: name.to_owned(),
            pointers: Vec::new(),
            description: None,
            deprecated: false,
            inline: false,
            kind: TypeKind::Struct(Struct { fields, others: None }),
        }
    }

    fn named(name: &str) -> Type {
        Type::Named(name.to_owned())
    }

    fn array(items: Type) -> Type {
        Type::Array(Box::new(items))
    }

    fn query(wire_name: &str, ty: Type) -> Parameter {
        Parameter {
            wire_name: wire_name.to_owned(),
            rust_name: wire_name.to_owned(),
            pointer: String::new(),
            location: ParameterLocation::Query,
            required: false,
            ty,
            id_type: None,
            description: None,
        }
    }

    fn operation(name: &str, method: Method, parameters: Vec<Parameter>, body: &str) -> Operation {
        let date = ApiDate::parse("2023-01-01").expect("a date");
        Operation {
            operation_id: name.to_owned(),
            rust_name: name.to_owned(),
            pointer: String::new(),
            method,
            path: "/things".to_owned(),
            path_segments: Vec::new(),
            summary: None,
            description: None,
            deprecated: false,
            parameters,
            query_struct: None,
            envelope: false,
            versions: vec![ResourceVersion {
                date,
                media_type: String::new(),
                pointer: String::new(),
                function: String::new(),
                request: None,
                response: SuccessResponse {
                    status: 200,
                    body: SuccessBody::Json(named(body)),
                    description: String::new(),
                },
                deprecation: None,
                paged: false,
            }],
            error_type: Type::Any,
            errors: Vec::new(),
        }
    }

    fn paging() -> Vec<Parameter> {
        let integer = Type::Integer(IntegerKind::I64);
        vec![query("pageNum", integer.clone()), query("itemsPerPage", integer), query("includeCount", Type::Boolean)]
    }

    /// The types of a small API, by name, with a page of `Thing`s, its
    /// links, and lookalikes that fail one part of the rule each.
    fn types() -> Vec<TypeDef> {
        let links = || field("links", array(named("Link")), false);
        let mut types = vec![
            object("Link", vec![field("href", Type::String, false), field("rel", Type::String, false)]),
            object("NumberedLink", vec![field("rel", Type::Integer(IntegerKind::I32), true)]),
            object("PagedThings", vec![links(), field("results", array(named("Thing")), true)]),
            object("Summary", vec![links(), field("results", Type::String, false)]),
            object("Thing", vec![field("name", Type::String, true)]),
            object("Unlinked", vec![field("results", array(named("Thing")), false)]),
            object(
                "WrongLinks",
                vec![field("links", array(named("NumberedLink")), false), field("results", array(Type::String), false)],
            ),
        ];
        types.sort_by(|a, b| a.name.cmp(&b.name));
        types
    }

    fn paged(api: &Api) -> Vec<&str> {
        api.paged_operations().map(|operation| operation.operation_id.as_str()).collect()
    }

    #[test]
    fn a_get_with_page_parameters_answering_results_and_links_is_paged() {
        let mut api = Api {
            types: types(),
            operations: vec![operation("listThings", Method::Get, paging(), "PagedThings")],
            ..Api::default()
        };
        find_pages(&mut api);
        assert_eq!(paged(&api), ["listThings"]);
        let page = api.page_type("PagedThings").expect("a page");
        assert_eq!(page.item, named("Thing"));
        assert_eq!((page.results.optional, page.links.optional, page.rel.optional), (false, true, true));
        assert_eq!(api.pages.len(), 1);
    }

    #[test]
    fn every_part_of_the_rule_is_needed() {
        let integer = Type::Integer(IntegerKind::I64);
        let without = |name: &str| paging().into_iter().filter(|p| p.wire_name != name).collect::<Vec<_>>();
        let textual_page = vec![query("pageNum", Type::String), query("itemsPerPage", integer.clone())];
        let mut in_a_header = paging();
        in_a_header[1].location = ParameterLocation::Header;
        let mut api = Api {
            types: types(),
            operations: vec![
                operation("postThings", Method::Post, paging(), "PagedThings"),
                operation("noPageNum", Method::Get, without("pageNum"), "PagedThings"),
                operation("noItemsPerPage", Method::Get, without("itemsPerPage"), "PagedThings"),
                operation("textualPageNum", Method::Get, textual_page, "PagedThings"),
                operation("sizeInAHeader", Method::Get, in_a_header, "PagedThings"),
                operation("resultsNotAnArray", Method::Get, paging(), "Summary"),
                operation("noLinks", Method::Get, paging(), "Unlinked"),
                operation("relNotAString", Method::Get, paging(), "WrongLinks"),
                operation("thingsNotAPage", Method::Get, paging(), "Thing"),
            ],
            ..Api::default()
        };
        find_pages(&mut api);
        assert_eq!(paged(&api), Vec::<&str>::new());
        assert!(api.pages.is_empty(), "{:?}", api.pages);
    }

    #[test]
    fn a_body_answered_by_several_operations_is_one_page_type() {
        let mut api = Api {
            types: types(),
            operations: vec![
                operation("listThings", Method::Get, paging(), "PagedThings"),
                operation("listMoreThings", Method::Get, paging(), "PagedThings"),
                operation("getThings", Method::Get, Vec::new(), "PagedThings"),
            ],
            ..Api::default()
        };
        find_pages(&mut api);
        assert_eq!(paged(&api), ["listThings", "listMoreThings"]);
        let names: Vec<&str> = api.pages.iter().map(|page| page.name.as_str()).collect();
        assert_eq!(names, ["PagedThings"]);
    }
}
