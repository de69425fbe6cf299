//! The requests the generated endpoint functions build, for every operation
//! in every release module, and how their responses are read.
#![allow(deprecated)] // every invitation operation is deprecated by Atlas

use atlas_admin_invitations::ids::{GroupId, InvitationId, OrgId};
use atlas_admin_invitations::models::*;
use atlas_admin_invitations::{Endpoint, ResponseError};
use serde_json::json;

/// All twelve invitation operations resolve to this resource version at every release.
const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";
const ORG: &str = "5f1e2d3c4b5a69788796a5b4";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const INVITATION: &str = "0123456789abcdef01234567";

/// What one built request must be.
struct Expected {
    operation: &'static str,
    method: &'static str,
    path: String,
    query: Option<&'static str>,
    body: Option<serde_json::Value>,
}

fn org_request() -> OrganizationInvitationRequest {
    OrganizationInvitationRequest::default()
        .with_roles(vec![OrgRole::OrgOwner, "ORG_NEW_ROLE".parse().unwrap_or(OrgRole::OrgMember)])
        .with_team_ids(vec!["team-1".to_owned()])
        .with_username("a+b@example.com")
        .with_group_role_assignments(vec![OrganizationInvitationGroupRoleAssignmentsRequest::default()
            .with_group_id(GROUP)
            .with_roles(vec![ProjectRole::GroupReadOnly])])
}

fn expectations() -> Vec<Expected> {
    let org_body = json!({
        "groupRoleAssignments": [{"groupId": GROUP, "roles": ["GROUP_READ_ONLY"]}],
        "roles": ["ORG_OWNER", "ORG_NEW_ROLE"],
        "teamIds": ["team-1"],
        "username": "a+b@example.com"
    });
    let org_update_body = json!({"roles": ["ORG_MEMBER"]});
    let group_body = json!({"roles": ["GROUP_OWNER"], "username": "c@example.com"});
    let group_update_body = json!({"roles": ["GROUP_SEARCH_INDEX_EDITOR"]});
    let orgs = format!("/api/atlas/v2/orgs/{ORG}/invites");
    let groups = format!("/api/atlas/v2/groups/{GROUP}/invites");
    let e = |operation, method, path: String, query, body| Expected { operation, method, path, query, body };
    vec![
        e("list_org_invites", "GET", orgs.clone(), Some("envelope=false&username=a%2Bb%40example.com"), None),
        e("create_org_invite", "POST", orgs.clone(), Some("pretty=true"), Some(org_body.clone())),
        e("update_org_invites", "PATCH", orgs.clone(), None, Some(org_body)),
        e("get_org_invite", "GET", format!("{orgs}/{INVITATION}"), None, None),
        e("update_org_invite_by_id", "PATCH", format!("{orgs}/{INVITATION}"), None, Some(org_update_body)),
        // deleteOrgInvite's invitationId has no pattern in the spec: any string, percent-encoded.
        e("delete_org_invite", "DELETE", format!("{orgs}/inv%2E1%2Fx"), None, None),
        e("list_group_invites", "GET", groups.clone(), Some("pretty=true&username=c%40example.com"), None),
        e("create_group_invite", "POST", groups.clone(), None, Some(group_body.clone())),
        e("update_group_invites", "PATCH", groups.clone(), Some("envelope=true"), Some(group_body)),
        e("get_group_invite", "GET", format!("{groups}/{INVITATION}"), None, None),
        e("update_group_invite_by_id", "PATCH", format!("{groups}/{INVITATION}"), None, Some(group_update_body)),
        e("delete_group_invite", "DELETE", format!("{groups}/{INVITATION}"), None, None),
    ]
}

/// Builds every operation's request through one release module.
macro_rules! build_all {
    ($api:path) => {{
        use $api as api;
        let org = OrgId::new(ORG).expect("valid org id");
        let group = GroupId::new(GROUP).expect("valid group id");
        let invitation = InvitationId::new(INVITATION).expect("valid invitation id");
        let org_update = OrganizationInvitationUpdateRequest::default().with_roles(vec![OrgRole::OrgMember]);
        let group_request =
            GroupInvitationRequest::default().with_roles(vec![ProjectRole::GroupOwner]).with_username("c@example.com");
        let group_update =
            GroupInvitationUpdateRequest::default().with_roles(vec![ProjectRole::GroupSearchIndexEditor]);
        let built: Built = vec![
            (
                "list_org_invites",
                api::list_org_invites(
                    &org,
                    &api::ListOrgInvitesQuery::default().with_envelope(false).with_username("a+b@example.com"),
                )
                .map(request),
            ),
            (
                "create_org_invite",
                api::create_org_invite(&org, &org_request(), &api::CreateOrgInviteQuery::default().with_pretty(true))
                    .map(request),
            ),
            ("update_org_invites", api::update_org_invites(&org, &org_request(), &Default::default()).map(request)),
            ("get_org_invite", api::get_org_invite(&org, &invitation, &Default::default()).map(request)),
            (
                "update_org_invite_by_id",
                api::update_org_invite_by_id(&org, &invitation, &org_update, &Default::default()).map(request),
            ),
            ("delete_org_invite", api::delete_org_invite(&org, "inv.1/x", &Default::default()).map(request)),
            (
                "list_group_invites",
                api::list_group_invites(
                    &group,
                    &api::ListGroupInvitesQuery::default().with_pretty(true).with_username("c@example.com"),
                )
                .map(request),
            ),
            ("create_group_invite", api::create_group_invite(&group, &group_request, &Default::default()).map(request)),
            (
                "update_group_invites",
                api::update_group_invites(
                    &group,
                    &group_request,
                    &api::UpdateGroupInvitesQuery::default().with_envelope(true),
                )
                .map(request),
            ),
            ("get_group_invite", api::get_group_invite(&group, &invitation, &Default::default()).map(request)),
            (
                "update_group_invite_by_id",
                api::update_group_invite_by_id(&group, &invitation, &group_update, &Default::default()).map(request),
            ),
            ("delete_group_invite", api::delete_group_invite(&group, &invitation, &Default::default()).map(request)),
        ]
        .into_iter()
        .map(|(name, built)| (name, built.unwrap_or_else(|e| panic!("{name}: {e}"))))
        .collect();
        built
    }};
}

/// Each operation's Rust name, with the operationId its endpoint names and
/// its request.
type Built = Vec<(&'static str, (&'static str, http::Request<Vec<u8>>))>;

/// The operation an endpoint names, and its request.
fn request<T, E>(endpoint: Endpoint<T, E>) -> (&'static str, http::Request<Vec<u8>>) {
    (endpoint.operation(), endpoint.into_parts().0)
}

fn assert_requests(release: &str, built: Built) {
    let expected = expectations();
    assert_eq!(built.len(), expected.len(), "{release}: every operation is in the release");
    for ((name, (operation_id, request)), expected) in built.iter().zip(&expected) {
        let at = format!("{release}::{name}");
        assert_eq!(*name, expected.operation, "{at}");
        // The spec's operationIds are the Rust names in camel case.
        assert_eq!(operation_id.to_owned(), camel_case(name), "{at}: operationId");
        assert_eq!(request.method().as_str(), expected.method, "{at}: method");
        assert_eq!(request.uri().path(), expected.path, "{at}: path");
        assert_eq!(request.uri().query(), expected.query, "{at}: query");
        assert_eq!(request.headers()["accept"], MEDIA_TYPE, "{at}: Accept");
        match &expected.body {
            Some(body) => {
                assert_eq!(request.headers()["content-type"], MEDIA_TYPE, "{at}: Content-Type");
                let sent: serde_json::Value = serde_json::from_slice(request.body()).expect("JSON body");
                assert_eq!(&sent, body, "{at}: body");
            }
            None => {
                assert!(request.headers().get("content-type").is_none(), "{at}: no Content-Type without a body");
                assert!(request.body().is_empty(), "{at}: no body");
            }
        }
    }
}

fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_');
    let first = words.next().unwrap_or_default().to_owned();
    words.fold(first, |camel, word| {
        let mut letters = word.chars();
        let capital = letters.next().map(|c| c.to_ascii_uppercase()).into_iter();
        camel + &capital.chain(letters).collect::<String>()
    })
}

macro_rules! release_tests {
    ($($release:ident),* $(,)?) => {$(
        #[test]
        fn $release() {
            assert_requests(stringify!($release), build_all!(atlas_admin_invitations::$release));
        }
    )*};
}

release_tests!(
    v2023_01_01,
    v2023_02_01,
    v2023_10_01,
    v2023_11_15,
    v2024_05_30,
    v2024_08_05,
    v2024_10_23,
    v2024_11_13,
    v2025_02_19,
    v2025_03_12,
    latest,
);

#[test]
fn malformed_ids_are_rejected_when_built() {
    for bad in [
        "",
        "5f1e2d3c4b5a69788796a5b",
        "5F1E2D3C4B5A69788796A5B4",
        "5f1e2d3c4b5a69788796a5b4/",
        "../../../../../../..",
        "ü",
    ] {
        let error = OrgId::new(bad).expect_err(bad);
        assert_eq!(error.value(), bad);
        assert_eq!(error.pattern(), "^([a-f0-9]{24})$");
        assert!(error.to_string().contains("OrgId"), "{error}");
    }
    assert_eq!(ORG.parse::<OrgId>().map(|id| id.to_string()).as_deref(), Ok(ORG));
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).body(body.as_bytes().to_vec()).expect("valid response")
}

#[test]
fn success_bodies_decode_into_the_documented_types() {
    let org = OrgId::new(ORG).expect("valid");
    let list = atlas_admin_invitations::v2025_03_12::list_org_invites(&org, &Default::default()).expect("builds");
    let invitations = list
        .parse_response(&response(200, r#"[{"orgName": "Überweisung GmbH (EU)", "roles": ["ORG_OWNER"]}]"#))
        .expect("decodes");
    assert_eq!(invitations[0].org_name, "Überweisung GmbH (EU)");

    let invitation = InvitationId::new(INVITATION).expect("valid");
    let delete = atlas_admin_invitations::v2025_03_12::delete_group_invite(
        &GroupId::new(GROUP).expect("valid"),
        &invitation,
        &Default::default(),
    )
    .expect("builds");
    delete.parse_response(&response(204, "")).expect("204 is success with no body");
}

#[test]
fn enveloped_responses_decode_to_the_same_value() {
    let org = OrgId::new(ORG).expect("valid");
    let query = atlas_admin_invitations::v2025_03_12::GetOrgInviteQuery::default().with_envelope(true);
    let invitation = InvitationId::new(INVITATION).expect("valid");
    let get = atlas_admin_invitations::v2025_03_12::get_org_invite(&org, &invitation, &query).expect("builds");
    let decoded = get
        .parse_response(&response(
            200,
            r#"{"status": 200, "content": {"orgName": "acme", "id": "0123456789abcdef01234567"}}"#,
        ))
        .expect("decodes");
    assert_eq!(decoded.org_name, "acme");
}

#[test]
fn error_statuses_keep_status_decoded_error_and_raw_body() {
    let org = OrgId::new(ORG).expect("valid");
    let list = atlas_admin_invitations::v2025_03_12::list_org_invites(&org, &Default::default()).expect("builds");
    let body = r#"{"error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": "No org", "reason": "Not Found"}"#;
    match list.parse_response(&response(404, body)) {
        Err(ResponseError::Api(error)) => {
            assert_eq!(error.status, 404);
            let api_error = error.error.expect("body is an ApiError");
            assert_eq!(api_error.error_code, "RESOURCE_NOT_FOUND");
            assert_eq!(error.body, body.as_bytes());
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    match list.parse_response(&response(502, "<html>Bad gateway</html>")) {
        Err(ResponseError::Api(error)) => {
            assert_eq!(error.status, 502);
            assert!(error.error.is_none(), "an HTML body is not an ApiError");
            assert_eq!(error.body, b"<html>Bad gateway</html>");
            assert!(error.to_string().contains("502"), "{error}");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    match list.parse_response(&response(200, "not json")) {
        Err(ResponseError::Decode { status, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(body, b"not json");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
