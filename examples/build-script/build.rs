//! Generates the organization invitation operations of the repository's
//! spec into `OUT_DIR/atlas/`.

fn main() {
    atlas_codegen::build::Builder::new("../../spec/atlas-invitations.yaml")
        .versions("../../spec/versions.json")
        .settings("../../spec/codegen.yaml")
        .include("path:/api/atlas/v2/orgs/{orgId}/invites*")
        .run();
}
