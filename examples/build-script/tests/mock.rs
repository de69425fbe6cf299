//! The crate's own functions against the mock Atlas of the code its build
//! script generated (`atlas::mock`, there because the dev-dependency turns
//! on the runtime crate's `mock` feature).
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

use atlas_build_script_example::atlas::ids::OrgId;
use atlas_build_script_example::atlas::models::OrganizationInvitation;
use atlas_build_script_example::atlas::{mock, v2025_03_12 as release};
use atlas_build_script_example::pending_usernames;

#[tokio::test]
async fn pending_usernames_reads_the_mock_s_typed_answer() {
    let atlas = mock::start().await;
    let org = OrgId::new("32b6e34b3d91647abb20e7b8").expect("a valid org id");
    let query = release::ListOrgInvitesQuery::default();
    let invitations = vec![
        OrganizationInvitation::new("Payments").with_username("alice@example.com"),
        OrganizationInvitation::new("Payments"),
    ];
    atlas.expect(release::list_org_invites(&org, &query)).returns(invitations).await;
    let usernames = pending_usernames(&atlas.api_key_client(), &org).await.expect("listed");
    assert_eq!(usernames, ["alice@example.com"]);
    atlas.verify();
}
