//! `revoke_stale_invitations` against the generated crate's mock Atlas,
//! through its public API only: typed answers, both authentication
//! methods, a 404, a retried 429, a 503, a dropped connection, a slow
//! answer, a request nobody expected, an expectation nobody met, and the
//! 406 Atlas gives a request without a resource version.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

use std::time::Duration;

use atlas_admin_invitations::client::Error;
use atlas_admin_invitations::ids::OrgId;
use atlas_admin_invitations::mock::{self, MockAtlas};
use atlas_admin_invitations::models::{ApiError, OrganizationInvitation};
use atlas_admin_invitations::v2025_03_12 as atlas;
use atlas_admin_invitations::{Endpoint, RequestError};
use atlas_mock_downstream_example::revoke_stale_invitations;
use chrono::{DateTime, TimeDelta, Utc};

const OLD: &str = "6a1b2c3d4e5f60718293a4b5";
const OLDER: &str = "6a1b2c3d4e5f60718293a4b6";
const RECENT: &str = "6a1b2c3d4e5f60718293a4b7";

fn org() -> OrgId {
    OrgId::new("32b6e34b3d91647abb20e7b8").expect("a valid org id")
}

fn now() -> DateTime<Utc> {
    "2025-06-30T12:00:00Z".parse().expect("a timestamp")
}

fn invitation(id: &str, days_old: i64) -> OrganizationInvitation {
    OrganizationInvitation::new("Payments")
        .with_id(id)
        .with_username(format!("{id}@example.com"))
        .with_created_at(now() - TimeDelta::days(days_old))
}

fn list() -> Result<Endpoint<Vec<OrganizationInvitation>, ApiError>, RequestError> {
    atlas::list_org_invites(&org(), &atlas::ListOrgInvitesQuery::default())
}

fn delete(id: &str) -> Result<Endpoint<(), ApiError>, RequestError> {
    atlas::delete_org_invite(&org(), id, &atlas::DeleteOrgInviteQuery::default())
}

async fn three_invitations(atlas_mock: &MockAtlas) {
    let listed = vec![invitation(OLD, 40), invitation(RECENT, 3), invitation(OLDER, 90)];
    atlas_mock.expect(list()).returns(listed).once().await;
}

async fn revoke(atlas_mock: &MockAtlas) -> Result<Vec<String>, Error<ApiError>> {
    revoke_stale_invitations(&atlas_mock.client(), &org(), TimeDelta::days(30), now()).await
}

#[tokio::test]
async fn only_the_stale_invitations_are_revoked() {
    let atlas_mock = mock::start().await;
    three_invitations(&atlas_mock).await;
    atlas_mock.expect(delete(OLD)).returns(()).once().await;
    atlas_mock.expect(delete(OLDER)).returns(()).once().await;
    assert_eq!(revoke(&atlas_mock).await.expect("revoked"), [OLD, OLDER]);
    atlas_mock.verify();
}

#[tokio::test]
async fn an_api_key_works_as_well() {
    let atlas_mock = mock::start().await;
    three_invitations(&atlas_mock).await;
    atlas_mock.expect(delete(OLD)).returns(()).once().await;
    atlas_mock.expect(delete(OLDER)).returns(()).once().await;
    let client = atlas_mock.api_key_client();
    let revoked = revoke_stale_invitations(&client, &org(), TimeDelta::days(30), now()).await.expect("revoked");
    assert_eq!(revoked, [OLD, OLDER]);
    atlas_mock.verify();
}

#[tokio::test]
async fn an_invitation_already_gone_is_left_out() {
    let atlas_mock = mock::start().await;
    three_invitations(&atlas_mock).await;
    let gone = ApiError::new(404, "INVITATION_NOT_FOUND").with_detail("No invitation with that id.");
    atlas_mock.expect(delete(OLD)).fails(404, gone).once().await;
    atlas_mock.expect(delete(OLDER)).returns(()).once().await;
    assert_eq!(revoke(&atlas_mock).await.expect("revoked"), [OLDER]);
    atlas_mock.verify();
}

#[tokio::test]
async fn a_rate_limited_listing_is_retried() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).rate_limited(Duration::ZERO).once().await;
    three_invitations(&atlas_mock).await;
    atlas_mock.expect(delete(OLD)).returns(()).once().await;
    atlas_mock.expect(delete(OLDER)).returns(()).once().await;
    assert_eq!(revoke(&atlas_mock).await.expect("revoked after the retry"), [OLD, OLDER]);
    atlas_mock.verify();
}

#[tokio::test]
async fn an_outage_is_reported_after_the_retries() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).unavailable().await;
    let error = revoke(&atlas_mock).await.expect_err("Atlas is down");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    atlas_mock.verify();
}

#[tokio::test]
async fn a_dropped_connection_on_a_revocation_is_retried() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).returns(vec![invitation(OLD, 40)]).await;
    atlas_mock.expect(delete(OLD)).drop_connection().once().await;
    atlas_mock.expect(delete(OLD)).returns(()).once().await;
    assert_eq!(revoke(&atlas_mock).await.expect("revoked on the retry"), [OLD]);
    atlas_mock.verify();
}

#[tokio::test]
async fn a_slow_listing_runs_into_the_timeout() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).returns(Vec::new()).delay(Duration::from_secs(5)).await;
    let client = atlas_mock.client_builder().timeout(Duration::from_millis(100)).build().expect("a client");
    let error = revoke_stale_invitations(&client, &org(), TimeDelta::days(30), now()).await.expect_err("too slow");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    atlas_mock.verify();
}

#[tokio::test]
#[should_panic(expected = "matched no expectation; closest: expectation `deleteOrgInvite`")]
async fn a_request_nobody_expected_fails_the_test_with_the_closest_expectation() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).returns(vec![invitation(OLD, 40)]).await;
    // The test expects the wrong invitation to go: the mock says which differs.
    atlas_mock.expect(delete(RECENT)).returns(()).await;
    let _ = revoke(&atlas_mock).await;
    // Dropping the mock fails the test.
}

#[tokio::test]
async fn the_report_names_the_difference_and_the_unmet_expectation() {
    let atlas_mock = mock::start().await;
    atlas_mock.expect(list()).returns(vec![invitation(OLD, 40)]).await;
    atlas_mock.expect(delete(RECENT)).returns(()).await;
    // Atlas's 404 for the unexpected request reads as "already gone".
    assert_eq!(revoke(&atlas_mock).await.expect("nothing revoked"), Vec::<String>::new());
    let report = atlas_mock.finish().expect_err("the mock was not used as expected");
    let [unmatched] = report.unmatched.as_slice() else { panic!("one unmatched request: {report}") };
    assert!(unmatched.starts_with(&format!("DELETE /api/atlas/v2/orgs/32b6e34b3d91647abb20e7b8/invites/{OLD}")));
    assert!(
        unmatched.contains(&format!("path: expected `/api/atlas/v2/orgs/32b6e34b3d91647abb20e7b8/invites/{RECENT}`"))
    );
    let [unmet] = report.unmet.as_slice() else { panic!("one unmet expectation: {report}") };
    assert!(unmet.contains("`deleteOrgInvite`") && unmet.ends_with("got no request"), "{unmet}");
}

#[tokio::test]
async fn a_request_without_a_resource_version_is_answered_406() {
    let atlas_mock = mock::start().await;
    let url = format!("{}/api/atlas/v2/orgs/32b6e34b3d91647abb20e7b8/invites", atlas_mock.uri());
    let token = format!("Bearer {}", atlas_mock.access_token());
    let raw = reqwest::Client::new();
    let missing = raw.get(&url).header("authorization", &token).send().await.expect("an answer");
    assert_eq!(missing.status().as_u16(), 406);
    let plain = raw.get(&url).header("authorization", &token).header("accept", "application/json");
    assert_eq!(plain.send().await.expect("an answer").status().as_u16(), 406);
    atlas_mock.verify();
}

#[tokio::test]
#[should_panic(expected = "status 409 is not documented for the operation")]
async fn an_undocumented_status_is_refused_where_it_is_declared() {
    let atlas_mock = mock::start().await;
    let _ = atlas_mock.expect(list()).fails(409, ApiError::new(409, "CONFLICT"));
}
