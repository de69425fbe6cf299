//! A downstream crate's own code on the generated Atlas client: revoking the
//! organization invitations that have waited too long. Its tests
//! (`tests/revoke.rs`) run it against the generated crate's mock Atlas,
//! through that crate's public API only.
// Atlas deprecates the invitation endpoints (sunset 2027-07-01); this crate still calls them.
#![allow(deprecated)]

use atlas_admin_invitations::client::{Client, Error};
use atlas_admin_invitations::ids::OrgId;
use atlas_admin_invitations::models::ApiError;
use atlas_admin_invitations::v2025_03_12 as atlas;
use chrono::{DateTime, TimeDelta, Utc};

/// Revokes every pending invitation to `org` created more than `max_age`
/// before `now`, and returns the ids it revoked, in the order Atlas listed
/// them. An invitation that is gone by the time it is revoked (404) counts
/// as revoked by someone else and is left out.
///
/// # Errors
///
/// The first failed call, after the client's retries.
pub async fn revoke_stale_invitations(
    client: &Client,
    org: &OrgId,
    max_age: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Vec<String>, Error<ApiError>> {
    let cutoff = now - max_age;
    let invitations = client.send(atlas::list_org_invites(org, &atlas::ListOrgInvitesQuery::default())).await?;
    let mut revoked = Vec::new();
    for invitation in invitations {
        let (Some(id), Some(created_at)) = (invitation.id, invitation.created_at) else { continue };
        if created_at >= cutoff {
            continue;
        }
        match client.send(atlas::delete_org_invite(org, &id, &atlas::DeleteOrgInviteQuery::default())).await {
            Ok(()) => revoked.push(id),
            Err(error) if error.status().is_some_and(|status| status.as_u16() == 404) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(revoked)
}
