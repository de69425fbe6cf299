//! The call the crate docs, the README and the example program show: the
//! package's example operation at the newest release, with sample values
//! for its path parameters; and the example program itself
//! (`examples/<operation>.rs`), which takes them from its command line.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, IdType, Operation, Package, Parameter, Release, SuccessBody, Type};
use crate::naming;

/// The example call, when the package has one.
pub struct Example<'a> {
    call: Option<Call<'a>>,
}

struct Call<'a> {
    operation: &'a Operation,
    release: &'a Release,
    /// Each path parameter with its id type, if it has one.
    parameters: Vec<(&'a Parameter, Option<&'a IdType>)>,
    /// The operation takes an optional body (the example sends none).
    optional_body: bool,
    deprecated: bool,
    success: &'a SuccessBody,
    /// The answer is a page of results: the call goes through the client's
    /// `items`, which fetches every page.
    paged: bool,
}

impl<'a> Example<'a> {
    pub fn of(api: &'a Api, package: &Package) -> Example<'a> {
        let call = package.example.as_ref().and_then(|example| {
            let operation = &api.operations[example.operation];
            let release = &api.releases[example.release];
            let version = operation.version_at(release.date)?;
            let parameters = operation
                .arguments()
                .map(|p| (p, p.id_type.as_deref().and_then(|id| api.ids.iter().find(|i| i.name == id))))
                .collect();
            Some(Call {
                operation,
                release,
                parameters,
                optional_body: version.request.is_some(),
                deprecated: version.deprecation.is_some(),
                success: &version.response.body,
                paged: version.paged,
            })
        });
        Example { call }
    }

    /// The operation's Rust name, which names the example program.
    pub fn program_name(&self) -> Option<&str> {
        self.call.as_ref().map(|call| call.operation.rust_name.as_str())
    }

    /// Rust lines that build the example's request and read its answer
    /// without the client, for the README.
    pub fn sans_io_snippet(&self, krate: &str) -> Option<String> {
        let call = self.call.as_ref()?;
        let mut lines = vec![format!("use {krate}::{} as atlas;", call.release.module)];
        let (setup, arguments) = self.arguments(call);
        if !setup.is_empty() {
            lines.push(format!("use {krate}::ids;"));
        }
        lines.push(String::new());
        lines.extend(setup);
        lines.push(format!("let endpoint = atlas::{}({arguments})?;", call.operation.rust_name));
        lines.push(
            "// Send endpoint.request() with your HTTP client, authenticated, to https://cloud.mongodb.com,".to_owned(),
        );
        lines.push("// then read the answer:".to_owned());
        lines.push("let answer = endpoint.parse_response(&response)?;".to_owned());
        Some(lines.join("\n"))
    }

    /// The lines that make the call's ids, and its arguments.
    fn arguments(&self, call: &Call<'_>) -> (Vec<String>, String) {
        let mut setup = Vec::new();
        let mut arguments = Vec::new();
        for (parameter, id) in &call.parameters {
            let sample = sample(parameter, *id);
            match id {
                Some(id) => {
                    setup.push(format!("let {} = ids::{}::new({sample:?})?;", parameter.rust_name, id.name));
                    arguments.push(format!("&{}", parameter.rust_name));
                }
                None => arguments.push(format!("{sample:?}")),
            }
        }
        if call.optional_body {
            arguments.push("None".to_owned());
        }
        if let Some(query) = &call.operation.query_struct {
            arguments.push(format!("&atlas::{query}::default()"));
        }
        (setup, arguments.join(", "))
    }

    /// Rust lines that build a client and make the call, for docs: inside
    /// an `async fn` returning `Result<(), Box<dyn Error>>` (hidden lines
    /// start with `# `).
    pub fn doc_snippet(&self, krate: &str, accessors: bool) -> String {
        let mut lines = vec![
            "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
            format!("use {krate}::client::Client;"),
        ];
        let Some(call) = &self.call else {
            lines.extend([
                String::new(),
                "let client = Client::builder()".to_owned(),
                "    .service_account(\"mdb_sa_id_…\", \"mdb_sa_sk_…\")".to_owned(),
                "    .build()?;".to_owned(),
                "# Ok(())".to_owned(),
                "# }".to_owned(),
            ]);
            return lines.join("\n");
        };
        let (operation, release) = (call.operation, &call.release.module);
        lines.push(format!("use {krate}::{release} as atlas;"));
        if call.parameters.iter().any(|(_, id)| id.is_some()) {
            lines.push(format!("use {krate}::ids;"));
        }
        lines.extend([
            String::new(),
            "let client = Client::builder()".to_owned(),
            "    .service_account(\"mdb_sa_id_…\", \"mdb_sa_sk_…\")".to_owned(),
            "    .build()?;".to_owned(),
        ]);
        let (setup, arguments) = self.arguments(call);
        lines.extend(setup);
        if call.deprecated {
            lines.push("# #[allow(deprecated)]".to_owned());
        }
        let name = &operation.rust_name;
        if call.paged {
            lines.extend([
                format!("let mut items = client.items(atlas::{name}({arguments})?);"),
                "while let Some(item) = items.next().await {".to_owned(),
                "    println!(\"{:?}\", item?);".to_owned(),
                "}".to_owned(),
                "# Ok(())".to_owned(),
                "# }".to_owned(),
            ]);
            return lines.join("\n");
        }
        lines.push(if accessors {
            format!("let answer = client.{release}().{name}({arguments}).await?;")
        } else {
            format!("let answer = client.send(atlas::{name}({arguments})).await?;")
        });
        lines.push(match call.success {
            SuccessBody::Empty => "# let () = answer;".to_owned(),
            SuccessBody::Raw => "println!(\"{} bytes\", answer.as_bytes().len());".to_owned(),
            _ => "println!(\"{answer:?}\");".to_owned(),
        });
        lines.extend(["# Ok(())".to_owned(), "# }".to_owned()]);
        lines.join("\n")
    }

    /// A doctest of the `mock` module: the call, answered by the mock with
    /// the simplest value of its type (an empty list, `None`, `()`) or, when
    /// there is none to write without knowing the type, a 503.
    pub fn mock_snippet(&self, krate: &str) -> Option<String> {
        let call = self.call.as_ref()?;
        let release = &call.release.module;
        let mut lines = Vec::new();
        if call.deprecated {
            lines.push("# #![allow(deprecated)]".to_owned());
        }
        lines.extend([
            "# #[tokio::main(flavor = \"current_thread\")]".to_owned(),
            "# async fn main() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
            format!("use {krate}::{{mock, {release} as atlas}};"),
        ]);
        let (setup, arguments) = self.arguments(call);
        if !setup.is_empty() {
            lines.push(format!("use {krate}::ids;"));
        }
        lines.push(String::new());
        lines.push("let atlas_mock = mock::start().await;".to_owned());
        lines.extend(setup);
        let endpoint = format!("atlas::{}({arguments})", call.operation.rust_name);
        let answer = match call.success {
            SuccessBody::Empty => Some(("()", "let () = answer;")),
            SuccessBody::JsonOrEmpty(_) => Some(("None", "assert!(answer.is_none());")),
            SuccessBody::Json(Type::Array(_)) => Some(("Vec::new()", "assert!(answer.is_empty());")),
            SuccessBody::Json(_) | SuccessBody::Raw => None,
        };
        match answer {
            Some((value, check)) => lines.extend([
                format!("atlas_mock.expect({endpoint}).returns({value}).await;"),
                format!("let answer = atlas_mock.client().send({endpoint}).await?;"),
                check.to_owned(),
            ]),
            None => lines.extend([
                format!("atlas_mock.expect({endpoint}).unavailable().await;"),
                format!("let error = atlas_mock.client().send({endpoint}).await.unwrap_err();"),
                "assert_eq!(error.status().map(|status| status.as_u16()), Some(503));".to_owned(),
            ]),
        }
        lines.extend(["atlas_mock.verify();".to_owned(), "# Ok(())".to_owned(), "# }".to_owned()]);
        Some(lines.join("\n"))
    }

    /// The example program, `examples/<operation>.rs`: credentials from
    /// the Atlas CLI's environment variables, path parameters from the
    /// command line (or the environment), the answer printed as JSON.
    pub fn program(&self, krate: &str) -> Option<TokenStream> {
        let call = self.call.as_ref()?;
        let operation = call.operation;
        let program = operation.rust_name.as_str();
        let krate = format_ident!("{}", krate);
        let release = format_ident!("{}", call.release.module);
        let name = format_ident!("{}", operation.rust_name);
        let usage: Vec<String> =
            call.parameters.iter().map(|(p, _)| format!("<{}>", p.wire_name.to_shouty_snake_case())).collect();
        let variables: Vec<String> =
            call.parameters.iter().map(|(p, _)| naming::environment_variable(&p.wire_name)).collect();
        let prints = if call.paged { "every item of every page as JSON, one per line" } else { "the answer as JSON" };
        let mut docs = vec![
            format!(
                "Calls `{}` (`{} {}`) at API release {} and prints {prints}.",
                operation.operation_id,
                operation.method.as_str(),
                operation.path,
                call.release.date
            ),
            if usage.is_empty() {
                format!("```text\ncargo run --example {program}\n```")
            } else {
                format!("```text\ncargo run --example {program} -- {}\n```", usage.join(" "))
            },
        ];
        if !variables.is_empty() {
            docs.push(format!(
                "The path parameters come from the arguments, in this order, or else from {}.",
                variables.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        docs.push(
            "Credentials come from the environment, under the Atlas CLI's names: `MONGODB_ATLAS_CLIENT_ID` and \
             `MONGODB_ATLAS_CLIENT_SECRET` for a service account, or `MONGODB_ATLAS_PUBLIC_API_KEY` and \
             `MONGODB_ATLAS_PRIVATE_API_KEY` for an API key. `MONGODB_ATLAS_BASE_URL` overrides \
             `https://cloud.mongodb.com` (plain `http://` only to a loopback host)."
                .to_owned(),
        );
        docs.push(
            "Exits 0 on success, 1 when the call fails, 2 when the arguments or credentials are missing or invalid."
                .to_owned(),
        );
        let docs = super::docs::inner(docs);

        let parameters = call.parameters.iter().zip(&variables).map(|((parameter, id), variable)| {
            let local = format_ident!("{}", parameter.rust_name);
            let read = quote! {
                let #local = match parameter(arguments.next(), #variable) {
                    Ok(value) => value,
                    Err(message) => return usage(&message),
                };
            };
            match id {
                Some(id) => {
                    let id = format_ident!("{}", id.name);
                    quote! {
                        #read
                        let #local = match #krate::ids::#id::new(#local) {
                            Ok(id) => id,
                            Err(error) => return usage(&error.to_string()),
                        };
                    }
                }
                None => read,
            }
        });
        let mut arguments: Vec<TokenStream> = call
            .parameters
            .iter()
            .map(|(parameter, _)| {
                let local = format_ident!("{}", parameter.rust_name);
                quote!(&#local)
            })
            .collect();
        if call.optional_body {
            arguments.push(quote!(None));
        }
        if let Some(query) = &operation.query_struct {
            let query = format_ident!("{}", query);
            arguments.push(quote!(&#krate::#release::#query::default()));
        }
        let allow = call.deprecated.then(|| quote!(#[allow(deprecated)]));
        let call_and_print = if call.paged {
            quote! {
                #allow
                let endpoint = match #krate::#release::#name(#(#arguments),*) {
                    Ok(endpoint) => endpoint,
                    Err(error) => {
                        eprintln!("{PROGRAM}: the request cannot be built: {error}");
                        return ExitCode::from(1);
                    }
                };
                let mut items = client.items(endpoint);
                while let Some(item) = items.next().await {
                    match item {
                        Ok(item) => println!("{}", serde_json::to_string(&item).unwrap_or_default()),
                        Err(error) => {
                            // It names the operation and the page.
                            eprintln!("{PROGRAM}: {error}");
                            if let Some(limit) = error.error().rate_limit().filter(|limit| !limit.is_empty()) {
                                eprintln!("{PROGRAM}: rate limit: {limit:?}");
                            }
                            return ExitCode::from(1);
                        }
                    }
                }
            }
        } else {
            let print = print_answer(call.success);
            quote! {
                #allow
                let answer = match client.send(#krate::#release::#name(#(#arguments),*)).await {
                    Ok(answer) => answer,
                    Err(error) => {
                        eprintln!("{PROGRAM}: the call failed: {error}");
                        if let Some(limit) = error.rate_limit().filter(|limit| !limit.is_empty()) {
                            eprintln!("{PROGRAM}: rate limit: {limit:?}");
                        }
                        return ExitCode::from(1);
                    }
                };
                #print
            }
        };
        let arguments_reader =
            (!call.parameters.is_empty()).then(|| quote!(let mut arguments = std::env::args().skip(1);));
        let parameter_fn = (!call.parameters.is_empty()).then(|| {
            quote! {
                /// A path parameter: the next argument, or else the environment variable.
                fn parameter(argument: Option<String>, variable: &str) -> Result<String, String> {
                    argument
                        .or_else(|| env(variable))
                        .ok_or_else(|| format!("missing a path parameter: pass it as an argument or set {variable}"))
                }
            }
        });
        Some(quote! {
            #docs

            use std::process::ExitCode;

            use #krate::client::Client;

            const PROGRAM: &str = #program;

            #[tokio::main(flavor = "current_thread")]
            async fn main() -> ExitCode {
                let client = match client() {
                    Ok(client) => client,
                    Err(message) => return usage(&message),
                };
                #arguments_reader
                #(#parameters)*
                #call_and_print
                ExitCode::SUCCESS
            }

            /// Reports a problem with the arguments or the environment.
            fn usage(message: &str) -> ExitCode {
                eprintln!("{PROGRAM}: {message}");
                ExitCode::from(2)
            }

            /// The client, with credentials and base URL from the Atlas CLI's environment variables.
            fn client() -> Result<Client, String> {
                let mut builder = Client::builder();
                builder = match (
                    env("MONGODB_ATLAS_CLIENT_ID"),
                    env("MONGODB_ATLAS_CLIENT_SECRET"),
                    env("MONGODB_ATLAS_PUBLIC_API_KEY"),
                    env("MONGODB_ATLAS_PRIVATE_API_KEY"),
                ) {
                    (Some(id), Some(secret), _, _) => builder.service_account(id, secret),
                    (None, None, Some(public), Some(private)) => builder.api_key(public, private),
                    (Some(_), None, _, _) => return Err("MONGODB_ATLAS_CLIENT_ID is set but MONGODB_ATLAS_CLIENT_SECRET is not".into()),
                    (None, Some(_), _, _) => return Err("MONGODB_ATLAS_CLIENT_SECRET is set but MONGODB_ATLAS_CLIENT_ID is not".into()),
                    (None, None, Some(_), None) => return Err("MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not".into()),
                    (None, None, None, Some(_)) => return Err("MONGODB_ATLAS_PRIVATE_API_KEY is set but MONGODB_ATLAS_PUBLIC_API_KEY is not".into()),
                    (None, None, None, None) => return Err("no credentials: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY".into()),
                };
                if let Some(base_url) = env("MONGODB_ATLAS_BASE_URL") {
                    builder = builder.base_url(base_url);
                }
                builder.build().map_err(|error| error.to_string())
            }

            #parameter_fn

            /// An environment variable that is set and not empty.
            fn env(name: &str) -> Option<String> {
                std::env::var(name).ok().filter(|value| !value.is_empty())
            }
        })
    }
}

/// How the example program prints an answer it got whole.
fn print_answer(success: &SuccessBody) -> TokenStream {
    match success {
        SuccessBody::Empty => quote!(let () = answer;),
        SuccessBody::Raw => quote! {
            use std::io::Write;
            if let Err(error) = std::io::stdout().write_all(answer.as_bytes()) {
                eprintln!("{PROGRAM}: cannot write the answer: {error}");
                return ExitCode::from(1);
            }
        },
        SuccessBody::Json(Type::Array(_)) => quote! {
            for item in &answer {
                println!("{}", serde_json::to_string(item).unwrap_or_default());
            }
        },
        SuccessBody::Json(_) | SuccessBody::JsonOrEmpty(_) => quote! {
            println!("{}", serde_json::to_string_pretty(&answer).unwrap_or_default());
        },
    }
}

/// A value for a path parameter in docs: one that its id type accepts, or
/// a placeholder naming it.
fn sample(parameter: &Parameter, id: Option<&IdType>) -> String {
    if let Some(check) = id.and_then(|id| id.check.as_ref()) {
        let characters: Vec<char> = check.ranges.iter().flat_map(|(start, end)| *start..=*end).collect();
        let length = check.min.max(1).min(check.max).min(64);
        if !characters.is_empty() {
            // Cycling through the allowed characters reads as an id, not as a filler.
            return (0..length).map(|index| characters[(index * 7 + 3) % characters.len()]).collect();
        }
    }
    format!("my-{}", heck::ToKebabCase::to_kebab_case(parameter.wire_name.as_str()))
}
