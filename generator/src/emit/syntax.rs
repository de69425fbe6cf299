//! `syn` nodes built directly, for the parts a full spec has thousands of
//! (struct fields, enum variants and their `as_str` arms, endpoint functions,
//! release re-exports). Built as `quote!` tokens they
//! would each be parsed again by `syn` before printing, and on a full spec
//! that parse was the largest single cost of generation. Items with few
//! instances are still written with `quote!`; the printed code is the same.

use proc_macro2::{Ident, Span, TokenStream};
use syn::{
    AttrStyle, Attribute, Expr, ExprLit, ExprPath, GenericArgument, Lit, Meta, MetaList, MetaNameValue, Path,
    PathArguments, PathSegment, Type, TypePath,
};

/// An identifier from a name the naming module made: `r#type` is raw. The
/// naming module makes only valid identifiers; like `format_ident!`, this
/// would panic on anything else, which would be a generator bug.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `pub`.
pub fn public() -> syn::Visibility {
    syn::Visibility::Public(Default::default())
}

/// A path of plain segments, `::`-rooted when `global` (`::std::vec::Vec`).
pub fn path<'a>(global: bool, segments: impl IntoIterator<Item = &'a str>) -> Path {
    Path {
        leading_colon: global.then(Default::default),
        segments: segments.into_iter().map(|segment| PathSegment::from(ident(segment))).collect(),
    }
}

/// A path whose last segment takes generic type arguments: `::std::vec::Vec<T>`.
pub fn generic_type<'a>(global: bool, segments: impl IntoIterator<Item = &'a str>, arguments: Vec<Type>) -> Type {
    let mut path = path(global, segments);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: arguments.into_iter().map(GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    path_type(path)
}

/// A path as a type.
pub fn path_type(path: Path) -> Type {
    Type::Path(TypePath { qself: None, path })
}

/// A path as an expression or pattern (`Role::Owner`).
pub fn path_expr(path: Path) -> ExprPath {
    ExprPath { attrs: Vec::new(), qself: None, path }
}

/// A string literal expression.
pub fn str_expr(value: &str) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Str(syn::LitStr::new(value, Span::call_site())) })
}

/// An outer attribute that is a single word: `#[deprecated]`.
pub fn word_attribute(name: &str) -> Attribute {
    outer_attribute(Meta::Path(path(false, [name])))
}

/// An outer attribute with a token list: `#[serde(rename = "x")]`.
pub fn list_attribute(name: &str, tokens: TokenStream) -> Attribute {
    outer_attribute(Meta::List(MetaList {
        path: path(false, [name]),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

/// `#[doc = lit]` or `#![doc = lit]`.
pub fn doc_attribute(literal: proc_macro2::Literal, inner: bool) -> Attribute {
    let meta = Meta::NameValue(MetaNameValue {
        path: path(false, ["doc"]),
        eq_token: Default::default(),
        value: Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::new(literal) }),
    });
    Attribute {
        pound_token: Default::default(),
        style: if inner { AttrStyle::Inner(Default::default()) } else { AttrStyle::Outer },
        bracket_token: Default::default(),
        meta,
    }
}

/// A doc line the generator writes, as `///` would: `line` starts with a
/// space.
pub fn doc_line(line: &str) -> Attribute {
    doc_attribute(proc_macro2::Literal::string(line), false)
}

/// `attrs pub struct name { fields }`.
pub fn public_struct(attrs: Vec<Attribute>, name: &str, fields: impl IntoIterator<Item = syn::Field>) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// `attrs pub name: ty`, a field of a struct with named fields.
pub fn public_field(attrs: Vec<Attribute>, name: &str, ty: Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: public(),
        mutability: syn::FieldMutability::None,
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
    }
}

fn outer_attribute(meta: Meta) -> Attribute {
    Attribute { pound_token: Default::default(), style: AttrStyle::Outer, bracket_token: Default::default(), meta }
}

/// `receiver.method(args)`.
pub fn method_call(receiver: Expr, method: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `func(args)`.
pub fn call(func: Path, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(Expr::Path(path_expr(func))),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `base.member`.
pub fn field(base: Expr, member: &str) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(member)),
    })
}

/// `&expr`.
pub fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `&ty`.
pub fn reference_type(elem: Type) -> Type {
    Type::Reference(syn::TypeReference {
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(elem),
    })
}

/// `[elem]`.
pub fn slice_type(elem: Type) -> Type {
    Type::Slice(syn::TypeSlice { bracket_token: Default::default(), elem: Box::new(elem) })
}

/// A local variable, or a function argument's name: `name`.
pub fn binding(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(name),
        subpat: None,
    })
}

/// `let name = init;`
pub fn let_statement(name: &str, init: Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: binding(name),
        init: Some(syn::LocalInit { eq_token: Default::default(), expr: Box::new(init), diverge: None }),
        semi_token: Default::default(),
    })
}

/// A literal as an expression: a number or a boolean.
pub fn literal_expr(literal: proc_macro2::Literal) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::new(literal) })
}

/// `true` or `false`.
pub fn bool_expr(value: bool) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Bool(syn::LitBool::new(value, Span::call_site())) })
}
