//! A downstream crate as a user would write it: it generates the
//! organization invitation operations of the Atlas Admin API at build time
//! (see `build.rs`), and builds its own small API on them.

/// The generated Atlas API: organization invitations only.
pub mod atlas {
    atlas_codegen_runtime::include_api!();
}

use atlas::client::{Client, Error, ReleaseAccessors as _};
use atlas::ids::OrgId;
use atlas::models::{ApiError, OrgRole, OrganizationInvitationRequest};
use atlas::v2025_03_12 as release;

/// The usernames with a pending invitation to `org`, in Atlas's order.
///
/// # Errors
///
/// The client's error when the call fails.
pub async fn pending_usernames(client: &Client, org: &OrgId) -> Result<Vec<String>, Error<ApiError>> {
    #[allow(deprecated)] // Atlas deprecates the invitation endpoints.
    let invitations = client.v2025_03_12().list_org_invites(org, &release::ListOrgInvitesQuery::default()).await?;
    Ok(invitations.into_iter().filter_map(|invitation| invitation.username).collect())
}

/// Invites `username` to `org` as a member, and returns the invitation's id.
///
/// # Errors
///
/// The client's error when the call fails.
pub async fn invite_member(client: &Client, org: &OrgId, username: &str) -> Result<Option<String>, Error<ApiError>> {
    let request = OrganizationInvitationRequest::default().with_username(username).with_roles(vec![OrgRole::OrgMember]);
    #[allow(deprecated)]
    let endpoint = release::create_org_invite(org, &request, &release::CreateOrgInviteQuery::default());
    let invitation = client.send(endpoint).await?;
    Ok(invitation.id)
}
