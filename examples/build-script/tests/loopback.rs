//! The crate's own functions, on the code its build script generated,
//! against a stand-in for Atlas on 127.0.0.1.

use atlas_build_script_example::atlas::client::Client;
use atlas_build_script_example::atlas::ids::OrgId;
use atlas_build_script_example::{invite_member, pending_usernames};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORG: &str = "32b6e34b3d91647abb20e7b8";
const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A server that hands out a token to the service account.
async fn atlas() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "token-1",
            "expires_in": 3600,
            "token_type": "Bearer"
        })))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .service_account("mdb_sa_id_example", "mdb_sa_sk_example")
        .build()
        .expect("a client for a loopback server")
}

#[tokio::test]
async fn lists_the_pending_usernames_of_an_organization() {
    let server = atlas().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/atlas/v2/orgs/{ORG}/invites")))
        .and(header("accept", MEDIA_TYPE))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-type", MEDIA_TYPE).set_body_json(json!([
            {"id": "6a1b2c3d4e5f60718293a4b5", "orgId": ORG, "orgName": "Example", "username": "alice@example.com", "roles": ["ORG_MEMBER"]},
            {"id": "6a1b2c3d4e5f60718293a4b6", "orgId": ORG, "orgName": "Example", "username": "bob@example.com", "roles": ["ORG_NEW_ROLE"]}
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let org = OrgId::new(ORG).expect("a valid org id");
    let usernames = pending_usernames(&client(&server), &org).await.expect("the list");
    assert_eq!(usernames, ["alice@example.com", "bob@example.com"]);
}

#[tokio::test]
async fn invites_a_member_and_reads_the_error_atlas_gives() {
    let server = atlas().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/orgs/{ORG}/invites")))
        .and(header("content-type", MEDIA_TYPE))
        .and(body_json(json!({"username": "carol@example.com", "roles": ["ORG_MEMBER"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "6a1b2c3d4e5f60718293a4b7", "orgId": ORG, "orgName": "Example", "username": "carol@example.com", "roles": ["ORG_MEMBER"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let org = OrgId::new(ORG).expect("a valid org id");
    let id = invite_member(&client(&server), &org, "carol@example.com").await.expect("the invitation");
    assert_eq!(id.as_deref(), Some("6a1b2c3d4e5f60718293a4b7"));

    let refused = OrgId::new("5f8b3c2a1e4d5b6c7a8b9c0d").expect("a valid org id");
    Mock::given(method("POST"))
        .and(path("/api/atlas/v2/orgs/5f8b3c2a1e4d5b6c7a8b9c0d/invites"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "error": 409, "errorCode": "USER_ALREADY_INVITED", "detail": "Already invited.", "reason": "Conflict"
        })))
        .mount(&server)
        .await;
    let error = invite_member(&client(&server), &refused, "carol@example.com").await.expect_err("a conflict");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(409));
    assert!(error.is_code("USER_ALREADY_INVITED"), "{error}");
}
