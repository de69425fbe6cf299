//! Decode and encode throughput of the generated invitation models on a
//! large list, next to a hand-written serde model of the same shape (the
//! goal: the generated code is at least 0.95× as fast).
//!
//! ```sh
//! cargo bench -p atlas-tests --bench models
//! ```

use atlas_admin_invitations::models::OrganizationInvitation;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::{Deserialize, Serialize};

const INVITATIONS: usize = 10_000;

/// What a careful author would write by hand for the same payload: derived
/// serde, a closed role enum with a catch-all, optional fields skipped.
mod hand_written {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Invitation {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group_role_assignments: Option<Vec<GroupRole>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub inviter_username: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub links: Option<Vec<Link>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub org_id: Option<String>,
        pub org_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub roles: Option<Vec<OrgRole>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub team_ids: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub username: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GroupRole {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group_role: Option<ProjectRole>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Link {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub href: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rel: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum OrgRole {
        OrgOwner,
        OrgMember,
        OrgGroupCreator,
        OrgBillingAdmin,
        OrgBillingReadOnly,
        OrgStreamProcessingAdmin,
        OrgReadOnly,
        #[serde(other)]
        Unknown,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum ProjectRole {
        GroupBackupManager,
        GroupClusterManager,
        GroupDataAccessAdmin,
        GroupDataAccessReadOnly,
        GroupDataAccessReadWrite,
        GroupDatabaseAccessAdmin,
        GroupObservabilityViewer,
        GroupOwner,
        GroupReadOnly,
        GroupSearchIndexEditor,
        GroupStreamProcessingOwner,
        #[serde(other)]
        Unknown,
    }
}

/// A list shaped like a busy organization's pending invitations.
fn payload() -> String {
    let org_roles = ["ORG_OWNER", "ORG_MEMBER", "ORG_READ_ONLY", "ORG_BILLING_ADMIN"];
    let group_roles = ["GROUP_OWNER", "GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_WRITE"];
    let invitations: Vec<serde_json::Value> = (0..INVITATIONS)
        .map(|i| {
            serde_json::json!({
                "createdAt": "2025-05-04T09:42:00Z",
                "expiresAt": "2025-06-03T09:42:00Z",
                "groupRoleAssignments": [
                    {"groupId": format!("{i:024x}"), "groupRole": group_roles[i % group_roles.len()]},
                    {"groupId": format!("{:024x}", i + 1), "groupRole": group_roles[(i + 1) % group_roles.len()]}
                ],
                "id": format!("{:024x}", i * 7),
                "inviterUsername": "owner@example.com",
                "links": [{"href": format!("https://cloud.mongodb.com/api/atlas/v2/orgs/x/invites/{i}"), "rel": "self"}],
                "orgId": "32b6e34b3d91647abb20e7b8",
                "orgName": "Überweisung GmbH (EU)",
                "roles": [org_roles[i % org_roles.len()]],
                "teamIds": [format!("{:024x}", i * 3)],
                "username": format!("user{i}@example.com")
            })
        })
        .collect();
    serde_json::to_string(&invitations).expect("encodes")
}

fn models(c: &mut Criterion) {
    let json = payload();
    let generated: Vec<OrganizationInvitation> = serde_json::from_str(&json).expect("decodes");
    let hand: Vec<hand_written::Invitation> = serde_json::from_str(&json).expect("decodes");

    let mut group = c.benchmark_group("10k invitations");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function(BenchmarkId::new("decode", "generated"), |b| {
        b.iter(|| serde_json::from_str::<Vec<OrganizationInvitation>>(&json).expect("decodes"))
    });
    group.bench_function(BenchmarkId::new("decode", "hand-written"), |b| {
        b.iter(|| serde_json::from_str::<Vec<hand_written::Invitation>>(&json).expect("decodes"))
    });
    group.bench_function(BenchmarkId::new("encode", "generated"), |b| {
        b.iter(|| serde_json::to_vec(&generated).expect("encodes"))
    });
    group.bench_function(BenchmarkId::new("encode", "hand-written"), |b| {
        b.iter(|| serde_json::to_vec(&hand).expect("encodes"))
    });
    group.finish();
}

criterion_group!(benches, models);
criterion_main!(benches);
