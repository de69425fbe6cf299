//! The generated crate's mock Atlas answers every operation at every
//! release: each endpoint function is its typed entry point, and what the
//! client decodes is the value the expectation returns.
#![allow(deprecated)] // the invitation endpoints are deprecated by Atlas; calling them is the point

mod client_common;

use atlas_admin_invitations::mock;
use atlas_admin_invitations::models::{GroupInvitation, OrganizationInvitation};
use client_common::*;

/// Declares and calls all twelve operations of `$module` once, with a
/// typed answer each, and checks what the client decodes.
macro_rules! every_operation {
    ($atlas:expr, $module:ident) => {{
        use atlas_admin_invitations::$module as m;
        let atlas: &mock::MockAtlas = $atlas;
        let client = atlas.client();
        let (org, group, invitation) = (org(), group(), invitation());
        let org_one: OrganizationInvitation = serde_json::from_value(org_invitation()).expect("an invitation");
        let group_one: GroupInvitation = serde_json::from_value(group_invitation()).expect("an invitation");
        let (org_body, org_update) = (org_invitation_request(), org_invitation_update());
        let (group_body, group_update) = (group_invitation_request(), group_invitation_update());

        // An envelope, which the mock wraps the answer in as Atlas does.
        let query = m::ListOrgInvitesQuery::default().with_envelope(true).with_username("a+b@example.com");
        let org_list = vec![org_one.clone()];
        atlas.expect(m::list_org_invites(&org, &query)).returns(org_list.clone()).once().await;
        assert_eq!(client.send(m::list_org_invites(&org, &query)).await.expect("listOrgInvites"), org_list);

        let query = m::CreateOrgInviteQuery::default();
        atlas.expect(m::create_org_invite(&org, &org_body, &query)).returns(org_one.clone()).once().await;
        let created = client.send(m::create_org_invite(&org, &org_body, &query)).await.expect("createOrgInvite");
        assert_eq!(created, org_one);

        let query = m::UpdateOrgInvitesQuery::default().with_pretty(false);
        atlas.expect(m::update_org_invites(&org, &org_body, &query)).returns(org_one.clone()).once().await;
        let updated = client.send(m::update_org_invites(&org, &org_body, &query)).await.expect("updateOrgInvites");
        assert_eq!(updated, org_one);

        let query = m::GetOrgInviteQuery::default();
        atlas.expect(m::get_org_invite(&org, &invitation, &query)).returns(org_one.clone()).once().await;
        assert_eq!(client.send(m::get_org_invite(&org, &invitation, &query)).await.expect("getOrgInvite"), org_one);

        let query = m::UpdateOrgInviteByIdQuery::default();
        let endpoint = || m::update_org_invite_by_id(&org, &invitation, &org_update, &query);
        atlas.expect(endpoint()).returns(org_one.clone()).once().await;
        assert_eq!(client.send(endpoint()).await.expect("updateOrgInviteById"), org_one);

        let query = m::DeleteOrgInviteQuery::default();
        atlas.expect(m::delete_org_invite(&org, INVITATION, &query)).returns(()).once().await;
        client.send(m::delete_org_invite(&org, INVITATION, &query)).await.expect("deleteOrgInvite");

        let query = m::ListGroupInvitesQuery::default().with_username("bob@example.com");
        let group_list = vec![group_one.clone()];
        atlas.expect(m::list_group_invites(&group, &query)).returns(group_list.clone()).once().await;
        let listed = client.send(m::list_group_invites(&group, &query)).await.expect("listGroupInvites");
        assert_eq!(listed, group_list);

        let query = m::CreateGroupInviteQuery::default();
        atlas.expect(m::create_group_invite(&group, &group_body, &query)).returns(group_one.clone()).once().await;
        let created =
            client.send(m::create_group_invite(&group, &group_body, &query)).await.expect("createGroupInvite");
        assert_eq!(created, group_one);

        let query = m::UpdateGroupInvitesQuery::default();
        atlas.expect(m::update_group_invites(&group, &group_body, &query)).returns(group_one.clone()).once().await;
        let updated =
            client.send(m::update_group_invites(&group, &group_body, &query)).await.expect("updateGroupInvites");
        assert_eq!(updated, group_one);

        let query = m::GetGroupInviteQuery::default();
        atlas.expect(m::get_group_invite(&group, &invitation, &query)).returns(group_one.clone()).once().await;
        let got = client.send(m::get_group_invite(&group, &invitation, &query)).await.expect("getGroupInvite");
        assert_eq!(got, group_one);

        let query = m::UpdateGroupInviteByIdQuery::default();
        let endpoint = || m::update_group_invite_by_id(&group, &invitation, &group_update, &query);
        atlas.expect(endpoint()).returns(group_one.clone()).once().await;
        assert_eq!(client.send(endpoint()).await.expect("updateGroupInviteById"), group_one);

        let query = m::DeleteGroupInviteQuery::default();
        atlas.expect(m::delete_group_invite(&group, &invitation, &query)).returns(()).once().await;
        client.send(m::delete_group_invite(&group, &invitation, &query)).await.expect("deleteGroupInvite");
    }};
}

#[tokio::test]
async fn every_operation_at_every_release() {
    let atlas = mock::start().await;
    every_operation!(&atlas, v2023_01_01);
    every_operation!(&atlas, v2023_02_01);
    every_operation!(&atlas, v2023_10_01);
    every_operation!(&atlas, v2023_11_15);
    every_operation!(&atlas, v2024_05_30);
    every_operation!(&atlas, v2024_08_05);
    every_operation!(&atlas, v2024_10_23);
    every_operation!(&atlas, v2024_11_13);
    every_operation!(&atlas, v2025_02_19);
    every_operation!(&atlas, v2025_03_12);
    every_operation!(&atlas, latest);
    atlas.verify();
}

#[tokio::test]
async fn an_api_key_client_gets_the_same_answers() {
    let atlas = mock::start().await;
    let query = atlas_admin_invitations::v2025_03_12::GetOrgInviteQuery::default();
    let endpoint = || atlas_admin_invitations::v2025_03_12::get_org_invite(&org(), &invitation(), &query);
    let answer: OrganizationInvitation = serde_json::from_value(org_invitation()).expect("an invitation");
    atlas.expect(endpoint()).returns(answer.clone()).times(2).await;
    let client = atlas.api_key_client();
    assert_eq!(client.send(endpoint()).await.expect("answered"), answer);
    // The second request answers the kept nonce with the next count, which the mock checks.
    assert_eq!(client.send(endpoint()).await.expect("answered"), answer);
    atlas.verify();
}
