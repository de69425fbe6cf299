//! A mock Atlas for tests, behind the `mock` cargo feature: a wiremock
//! server on 127.0.0.1 that answers what a test declares, operation by
//! operation, in the types of the endpoint functions.
//!
//! ```ignore
//! let atlas = mock::start().await;
//! atlas.expect(v2025_03_12::list_org_invites(&org, &query)).returns(vec![invitation]).await;
//! let invitations = atlas.client().send(v2025_03_12::list_org_invites(&org, &query)).await?;
//! atlas.verify();
//! ```
//!
//! - **Expectations** take what an endpoint function returns, so every
//!   operation of every release has its typed entry point, and match exactly
//!   the request that function builds: method, path, query, `Accept` (the
//!   release's resource version), `Content-Type` and body. The answer is
//!   typed too ([`Expectation::returns`], [`Expectation::fails`]) and goes
//!   out with the operation's media type and documented status; an answer
//!   the operation's parser would not read, or an error status the operation
//!   does not document, is refused when declared.
//! - **Authentication** works as against Atlas: the token endpoint hands out
//!   bearer tokens to the mock's service account, and the API answers with a
//!   Digest challenge (MD5, `qop=auth`) that it checks for the mock's API
//!   key. A request with neither is answered 401.
//! - **Versions**: a request to a known operation whose `Accept` is missing or
//!   names a media type the operation does not declare is answered 406.
//! - **Failures**: a request that matches no expectation is answered 404 and
//!   fails [`MockAtlas::verify`] with the closest expectation and how the
//!   request differs from it; so does an expectation that did not get its
//!   requests. Dropping the mock verifies it (unless the test is already
//!   failing).

mod auth;
mod expectation;
mod unmatched;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use wiremock::{Mock, MockServer};

use super::client::{Client, ClientBuilder, RetryPolicy};
use super::{Endpoint, RequestError};

// A generated crate re-exports these from its own `mock` module.
#[allow(unused_imports)]
pub use expectation::Expectation;

/// The client id of the mock's service account.
pub const SERVICE_ACCOUNT_CLIENT_ID: &str = "mdb_sa_id_mock";
/// The client secret of the mock's service account.
pub const SERVICE_ACCOUNT_CLIENT_SECRET: &str = "mdb_sa_sk_mock";
/// The public key of the mock's API key (the Digest user name).
pub const API_PUBLIC_KEY: &str = "mockpubl";
/// The private key of the mock's API key (the Digest password).
pub const API_PRIVATE_KEY: &str = "00000000-mock-private-key";

/// What the API description says about one operation, as the mock needs it
/// for requests no expectation matched: the media types of its resource
/// versions (anything else is answered 406) and its documented error
/// statuses (the only ones [`Expectation::fails`] takes, with those Atlas
/// may send for any operation). A generated crate has a table of these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct DocumentedOperation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, e.g. `/api/atlas/v2/orgs/{orgId}/invites`.
    pub path: &'static str,
    /// The media types of its resource versions.
    pub media_types: &'static [&'static str],
    /// The error statuses the description documents.
    pub error_statuses: &'static [u16],
}

impl DocumentedOperation {
    /// Whether a request's method and path are this operation's.
    fn serves(&self, method: &str, path: &str) -> bool {
        self.method == method && unmatched::path_fits_template(path, self.path)
    }
}

/// A mock Atlas on 127.0.0.1. Declare what it should be asked with
/// [`MockAtlas::expect`], call it through [`MockAtlas::client`], and let
/// [`MockAtlas::verify`] (or dropping it) check that every expectation got
/// its requests and no request went unanswered.
pub struct MockAtlas {
    server: MockServer,
    state: Arc<State>,
    /// Set by [`MockAtlas::finish`], which reports instead of `drop`.
    finished: bool,
}

/// What the server's responders share with the test.
struct State {
    operations: &'static [DocumentedOperation],
    expectations: Mutex<Vec<Arc<expectation::Declared>>>,
    /// A line per request that matched no expectation, saying why.
    unmatched: Mutex<Vec<String>>,
    credentials: auth::Credentials,
}

impl State {
    fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Priorities (wiremock: 1 first): authentication before expectations
/// (default 5), the catch-all last.
const AUTHENTICATION: u8 = 1;
const CATCH_ALL: u8 = u8::MAX;

impl MockAtlas {
    /// Starts a mock that knows `operations`. A generated crate's
    /// `mock::start` calls it with the crate's table.
    #[doc(hidden)]
    pub async fn start_with(operations: &'static [DocumentedOperation]) -> MockAtlas {
        let server = MockServer::builder().start().await;
        let state = Arc::new(State {
            operations,
            expectations: Mutex::default(),
            unmatched: Mutex::default(),
            credentials: auth::Credentials::default(),
        });
        auth::token_endpoint(&state).mount(&server).await;
        auth::gate(&state).with_priority(AUTHENTICATION).mount(&server).await;
        Mock::given(wiremock::matchers::any())
            .respond_with(unmatched::CatchAll(state.clone()))
            .with_priority(CATCH_ALL)
            .named("requests no expectation matched")
            .mount(&server)
            .await;
        MockAtlas { server, state, finished: false }
    }

    /// The mock's base URL, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client pointed at the mock, authenticated with its service account,
    /// retrying after milliseconds rather than seconds (a `Retry-After` the
    /// mock sends is still honoured).
    pub fn client(&self) -> Client {
        self.client_builder().build().expect("the mock's client settings are valid")
    }

    /// A client pointed at the mock, authenticated with its API key (Digest).
    pub fn api_key_client(&self) -> Client {
        self.api_key_client_builder().build().expect("the mock's client settings are valid")
    }

    /// The settings of [`MockAtlas::client`], to change some (a timeout, the
    /// retry policy) before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .service_account(SERVICE_ACCOUNT_CLIENT_ID, SERVICE_ACCOUNT_CLIENT_SECRET)
            .base_url(self.uri())
            .retry_policy(quick_retries())
    }

    /// The settings of [`MockAtlas::api_key_client`].
    pub fn api_key_client_builder(&self) -> ClientBuilder {
        Client::builder().api_key(API_PUBLIC_KEY, API_PRIVATE_KEY).base_url(self.uri()).retry_policy(quick_retries())
    }

    /// A bearer token the mock accepts, for requests a test sends without
    /// the client: `Authorization: Bearer {token}`.
    pub fn access_token(&self) -> String {
        self.state.credentials.issue_token()
    }

    /// Declares that the request `endpoint` holds will be sent, and starts
    /// building its answer. Pass what an endpoint function returns, as to
    /// `Client::send`; finish with an answer and `.await` to register it.
    ///
    /// # Panics
    ///
    /// When the endpoint function could not build its request.
    #[track_caller]
    pub fn expect<T, E>(&self, endpoint: Result<Endpoint<T, E>, RequestError>) -> Expectation<'_, T, E> {
        let location = std::panic::Location::caller();
        match endpoint {
            Ok(endpoint) => Expectation::new(self, endpoint, location),
            Err(error) => panic!("the expectation at {location} has no request: {error}"),
        }
    }

    /// Checks that every expectation got its requests and that every request
    /// matched an expectation.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] listing what went wrong.
    pub fn check(&self) -> Result<(), VerifyError> {
        let unmatched = State::lock(&self.state.unmatched).clone();
        let unmet = State::lock(&self.state.expectations).iter().filter_map(|declared| declared.unmet()).collect();
        let error = VerifyError { unmatched, unmet };
        if error.unmatched.is_empty() && error.unmet.is_empty() {
            Ok(())
        } else {
            Err(error)
        }
    }

    /// As [`MockAtlas::check`], failing the test instead.
    ///
    /// # Panics
    ///
    /// When [`MockAtlas::check`] finds a problem; the message says which.
    #[track_caller]
    pub fn verify(&self) {
        if let Err(error) = self.check() {
            panic!("{error}");
        }
    }

    /// Stops the mock and returns what [`MockAtlas::check`] finds, for a test
    /// that examines the failure instead of failing (dropping it then
    /// verifies nothing more).
    ///
    /// # Errors
    ///
    /// As [`MockAtlas::check`].
    pub fn finish(mut self) -> Result<(), VerifyError> {
        self.finished = true;
        self.check()
    }

    /// Registers a declared expectation with the server.
    async fn register(&self, declared: Arc<expectation::Declared>, mock: Mock) {
        State::lock(&self.state.expectations).push(declared);
        self.server.register(mock).await;
    }

    fn operation(&self, id: &str) -> Option<&'static DocumentedOperation> {
        self.state.operations.iter().find(|operation| operation.id == id)
    }
}

impl fmt::Debug for MockAtlas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockAtlas")
            .field("uri", &self.uri())
            .field("expectations", &State::lock(&self.state.expectations).len())
            .finish_non_exhaustive()
    }
}

impl Drop for MockAtlas {
    /// Verifies, unless the test is already failing: a second panic would
    /// abort the test binary and hide the first.
    fn drop(&mut self) {
        if self.finished || std::thread::panicking() {
            return;
        }
        if let Err(error) = self.check() {
            panic!("{error}");
        }
    }
}

/// Retries that wait milliseconds: a test should not sleep on backoff.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(10))
}

/// What [`MockAtlas::check`] found: requests that matched no expectation,
/// and expectations that did not get their requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyError {
    /// A line per request that matched no expectation, with the closest
    /// expectation and how the request differs from it.
    pub unmatched: Vec<String>,
    /// A line per expectation that did not get the requests it declared.
    pub unmet: Vec<String>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the mock Atlas was not used as expected:")?;
        for line in self.unmatched.iter().chain(&self.unmet) {
            write!(f, "\n- {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}
