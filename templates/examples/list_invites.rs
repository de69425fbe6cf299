//! Lists the pending invitations of one Atlas organization.
//!
//! ```text
//! cargo run -p atlas-admin-invitations --example list_invites -- <ORG_ID>
//! ```
//!
//! The organization id comes from the argument or `MONGODB_ATLAS_ORG_ID`.
//! Credentials come from the environment, under the Atlas CLI's names:
//! `MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET` for a service
//! account, or `MONGODB_ATLAS_PUBLIC_API_KEY` and
//! `MONGODB_ATLAS_PRIVATE_API_KEY` for an API key. `MONGODB_ATLAS_BASE_URL`
//! overrides `https://cloud.mongodb.com` (plain `http://` only to a loopback
//! host).
//!
//! Prints one line per invitation: user name, roles, expiry. Exits 0 on
//! success, 1 when the call fails, 2 when the arguments or credentials are
//! missing or invalid.

use std::process::ExitCode;

use atlas_admin_invitations::client::Client;
use atlas_admin_invitations::ids::OrgId;
use atlas_admin_invitations::models::OrganizationInvitation;
use atlas_admin_invitations::v2025_03_12::ListOrgInvitesQuery;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (client, org) = match configure() {
        Ok(configured) => configured,
        Err(message) => {
            eprintln!("list_invites: {message}");
            return ExitCode::from(2);
        }
    };
    // The invitation endpoints are deprecated by Atlas (see the crate docs); this example lists them anyway.
    #[allow(deprecated)]
    let result = client.v2025_03_12().list_org_invites(&org, &ListOrgInvitesQuery::default()).await;
    match result {
        Ok(invitations) => {
            for invitation in &invitations {
                println!("{}", line(invitation));
            }
            if invitations.is_empty() {
                eprintln!("list_invites: organization {org} has no pending invitations");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("list_invites: listing the invitations of organization {org} failed: {error}");
            if let Some(limit) = error.rate_limit().filter(|limit| !limit.is_empty()) {
                eprintln!("list_invites: rate limit: {limit:?}");
            }
            ExitCode::from(1)
        }
    }
}

/// The client and the organization, from the arguments and the environment.
fn configure() -> Result<(Client, OrgId), String> {
    let org = match std::env::args().nth(1).or_else(|| env("MONGODB_ATLAS_ORG_ID")) {
        Some(org) => OrgId::new(org).map_err(|e| e.to_string())?,
        None => return Err("no organization id: pass it as the argument or set MONGODB_ATLAS_ORG_ID".to_owned()),
    };
    let mut builder = Client::builder();
    builder = match (
        env("MONGODB_ATLAS_CLIENT_ID"),
        env("MONGODB_ATLAS_CLIENT_SECRET"),
        env("MONGODB_ATLAS_PUBLIC_API_KEY"),
        env("MONGODB_ATLAS_PRIVATE_API_KEY"),
    ) {
        (Some(id), Some(secret), _, _) => builder.service_account(id, secret),
        (None, None, Some(public), Some(private)) => builder.api_key(public, private),
        (Some(_), None, _, _) => {
            return Err("MONGODB_ATLAS_CLIENT_ID is set but MONGODB_ATLAS_CLIENT_SECRET is not".into())
        }
        (None, Some(_), _, _) => {
            return Err("MONGODB_ATLAS_CLIENT_SECRET is set but MONGODB_ATLAS_CLIENT_ID is not".into())
        }
        (None, None, Some(_), None) => {
            return Err("MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not".into())
        }
        (None, None, None, Some(_)) => {
            return Err("MONGODB_ATLAS_PRIVATE_API_KEY is set but MONGODB_ATLAS_PUBLIC_API_KEY is not".into())
        }
        (None, None, None, None) => {
            return Err("no credentials: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (service \
                        account), or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY (API key)"
                .into())
        }
    };
    if let Some(base_url) = env("MONGODB_ATLAS_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    Ok((client, org))
}

/// A variable's value, when it is set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// `user  roles: A,B  projects: <id>:ROLE  expires: <time>`; a role this crate
/// does not know shows as the server sent it.
fn line(invitation: &OrganizationInvitation) -> String {
    let username = invitation.username.as_deref().unwrap_or("(no user name)");
    let roles: Vec<String> = invitation.roles.iter().flatten().map(ToString::to_string).collect();
    let roles = if roles.is_empty() { "-".to_owned() } else { roles.join(",") };
    let mut line = format!("{username}\troles: {roles}");
    let projects: Vec<String> = invitation
        .group_role_assignments
        .iter()
        .flatten()
        .filter_map(|assignment| {
            let role = assignment.group_role.as_ref()?;
            Some(format!("{}:{role}", assignment.group_id.as_deref().unwrap_or("?")))
        })
        .collect();
    if !projects.is_empty() {
        line.push_str(&format!("\tprojects: {}", projects.join(",")));
    }
    let expires =
        invitation.expires_at.map_or_else(|| "-".to_owned(), |at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    line.push_str(&format!("\texpires: {expires}"));
    line
}
