//! `README.md` of the generated crate, from the package and what the spec
//! holds: its releases, types, ids, deprecations and example call.

use std::fmt::Write;

use super::example::Example;
use crate::ir::{Api, Package, TypeKind};

pub fn readme(api: &Api, package: &Package, header: &str) -> String {
    let mut out = format!("<!-- {header} -->\n\n# {}\n\n{}\n", package.name, package.description);
    let example = Example::of(api, package);
    let krate = &package.lib_name;

    let releases = match (api.releases.first(), api.releases.last()) {
        (Some(first), Some(last)) if first != last => format!("`{}` … `{}`", first.module, last.module),
        (Some(only), _) => format!("`{}`", only.module),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "\nGenerated from the OpenAPI description of the {}: {} operations.\n\n\
         - **One module per API release** ({releases}; with the `unstable-latest` feature also `latest`, which \
         follows the newest and so may change in a minor version). Each holds an \
         endpoint function for every operation that exists at that release, and each function sends the resource \
         version the operation has at that release (`Accept: application/vnd.atlas.YYYY-MM-DD+json`). Pin a release \
         module and upgrades of this crate never change what your requests mean.\n\
         - **Models** in `models` with serde: wire names kept, optional fields omitted when absent, timestamps as \
         `chrono::DateTime<Utc>`.\n",
        api.title.trim(),
        api.operations.len(),
    );
    let enums: Vec<String> = api
        .types
        .iter()
        .filter(|def| matches!(def.kind, TypeKind::Enum(_)))
        .map(|def| format!("`{}`", def.name))
        .collect();
    if !enums.is_empty() {
        let _ = writeln!(
            out,
            "- **Enums** ({}) that survive new values: a value this crate does not know is kept as sent and \
             serialized back unchanged.",
            shortened(&enums)
        );
    }
    if !api.ids.is_empty() {
        let ids: Vec<String> = api.ids.iter().map(|id| format!("`ids::{}`", id.name)).collect();
        let _ = writeln!(
            out,
            "- **Validated ids** ({}): checked when built, so a malformed id never reaches a URL. Response bodies \
             are never checked against patterns.",
            shortened(&ids)
        );
    }
    out.push_str(
        "- **Sans-IO** at its core: each function returns an `Endpoint` holding an `http::Request` and the parser \
         for its response, so any HTTP client can send it.\n",
    );
    if let Some(snippet) = example.sans_io_snippet(krate) {
        let _ = write!(out, "\n```rust\n{snippet}\n```\n");
    }

    let _ = write!(
        out,
        "\n## Calling Atlas: the `client` feature\n\n\
         With the `client` cargo feature (on by default), `client::Client` sends these requests for you (reqwest \
         with rustls, on tokio), with timeouts, retries on rate limits and one error type. Without it \
         (`default-features = false`) the crate is sans-IO.\n\n```rust\n{}\n```\n\n",
        shown(&example.doc_snippet(krate, package.client_accessors))
    );
    if package.client_accessors {
        out.push_str(
            "Each API release has an accessor on the client (`client.latest()` too, with `unstable-latest`) with one method per \
             operation, which returns the call's future; `client.send(endpoint)` sends what any endpoint \
             function builds.\n\n",
        );
    }
    out.push_str(
        "- Service accounts (`Client::builder().service_account(id, secret)`, what Atlas recommends): one \
         bearer token from `/api/oauth/token`, shared by concurrent calls, refreshed once shortly before it \
         expires, and one retry with a new token on a 401.\n\
         - API keys (`.api_key(public, private)`): the Digest challenge is answered (MD5, SHA-256 when offered), \
         its nonce kept and counted, and answered again when stale.\n\
         - `Client::builder()` also takes `base_url` (default `https://cloud.mongodb.com`; plain `http://` only \
         to loopback unless `allow_insecure_http(true)`), `http_client` (your own `reqwest::Client`), \
         `connect_timeout` / `timeout` (10 s / 60 s) and `retry_policy`.\n\
         - `client::Error<E>` separates transport failures, timeouts, authentication failures, Atlas API errors \
         (the operation's typed error body `E`, and `error_code()`, `is_code(\"RATE_LIMITED\")`, `detail()`, \
         `reason()`, `parameters()`, `field_violations()` from any Atlas error), undecodable bodies and \
         unexpected statuses, each with its `body()` as received; `rate_limit()` gives the `RateLimit-*` and \
         `Retry-After` headers, `Client::last_rate_limit()` those of the latest answer.\n\
         - A 429 is retried (after at least `Retry-After`, else exponential backoff with jitter); a POST or \
         PATCH that may have been applied is never re-sent unless `retry_non_idempotent(true)`.\n\
         - Secrets never appear in `Debug`, `Display` or errors.\n",
    );
    let paged = api.paged_operations().count();
    if paged > 0 {
        let _ = writeln!(
            out,
            "- Pages of results: the paged list operations ({paged} here: a `GET` that takes `pageNum` and \
             `itemsPerPage` and answers `results` with `links`) answer a page at a time. \
             `client.pages(endpoint)` and `client.items(endpoint)` fetch every page with the same \
             authentication and retries, and stop at a page that is empty, short or without a `next` link. The \
             page size and first page come from the request (`itemsPerPage`, else 100, is always sent); \
             `includeCount=false` is sent unless the request sets it; and each page is asked for by number at the \
             base URL: a link's URL is never requested."
        );
    }
    if let Some(program) = example.program_name() {
        let _ = write!(
            out,
            "\n`cargo run --example {program} -- …` makes the call above with credentials from \
             `MONGODB_ATLAS_CLIENT_ID` / `MONGODB_ATLAS_CLIENT_SECRET` or `MONGODB_ATLAS_PUBLIC_API_KEY` / \
             `MONGODB_ATLAS_PRIVATE_API_KEY` (and `MONGODB_ATLAS_BASE_URL`) and prints the answer as JSON; its \
             docs say which arguments it takes.\n"
        );
    }

    out.push_str(
        "\n## Testing without Atlas: the `mock` feature\n\n\
         With the `mock` cargo feature (for `[dev-dependencies]`), `mock::start().await` runs a mock Atlas on \
         127.0.0.1 (wiremock) whose `client()` and `api_key_client()` are clients pointed at it. \
         `mock.expect(endpoint)` takes what an endpoint function returns, so each operation of each release is \
         typed, and answers with `.returns(value)`, `.fails(status, error)`, `.rate_limited(retry_after)`, \
         `.unavailable()`, `.drop_connection()` or after a `.delay(..)`. A missing or undeclared `Accept` gets 406; \
         a request that matches no expectation, or an expectation that is not met, fails `mock.verify()` and the \
         drop of the mock with the closest expectation and the difference.\n",
    );

    let deprecated = api.operations.iter().filter(|op| op.versions.iter().any(|v| v.deprecation.is_some())).count();
    if deprecated > 0 {
        let mut sunsets: Vec<String> = api
            .operations
            .iter()
            .flat_map(|op| op.versions.iter().filter_map(|v| v.deprecation.and_then(|d| d.sunset)))
            .map(|date| date.to_string())
            .collect();
        sunsets.sort();
        sunsets.dedup();
        let sunsets = if sunsets.is_empty() { String::new() } else { format!(" (sunset {})", sunsets.join(", ")) };
        let _ = writeln!(
            out,
            "\n{deprecated} of the {} operations are deprecated by Atlas{sunsets}; their functions carry \
             `#[deprecated]` with the date.",
            api.operations.len()
        );
    }
    out.push_str(
        "\n## Versions\n\nEach version's entry in `CHANGELOG.md` lists what its regeneration changed in the API, \
         with a verdict on the wire and one for Rust code; the version follows the second. A new API release, \
         operation, resource version, optional property or enum value is a minor version: code that names a \
         dated release module keeps compiling and keeps its meaning. `latest` follows the newest release, so it is \
         behind the `unstable-latest` feature, outside that promise. `api.json` is the API as data, which the next \
         regeneration compares with.\n\
         \nThis crate is generated: do not edit it by hand. Change the spec and regenerate instead.\n",
    );
    out
}

/// A list of names, cut after a few.
fn shortened(names: &[String]) -> String {
    const SHOWN: usize = 4;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!("{}, and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    }
}

/// Doc example lines as a README shows them: without the hidden ones.
fn shown(snippet: &str) -> String {
    snippet.lines().filter(|line| !line.starts_with("# ") && *line != "#").collect::<Vec<_>>().join("\n")
}
