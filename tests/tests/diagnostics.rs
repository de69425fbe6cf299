//! Invalid specs: each fixture in `fixtures/invalid/` is refused, with every
//! problem it holds reported at once (file, JSON pointer and, where the
//! parser or the line index knows it, the line), and never with a panic. The
//! messages are reviewed as snapshots.

use atlas_codegen::Error;
use atlas_tests::{fixture_input, generate_catching};

#[test]
fn invalid_specs_are_refused_with_every_problem() {
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"), "invalid/*.{yaml,json}", |path| {
        let (config, source) = fixture_input(path);
        let diagnostics = match generate_catching(&config, &source) {
            Ok(Err(Error::Invalid(diagnostics))) => diagnostics,
            Ok(Err(internal @ Error::Internal { .. })) => panic!("{}: a generator bug: {internal}", source.name),
            Ok(Ok(_)) => panic!("{} generates, but it is in fixtures/invalid/", source.name),
            Err(panic) => panic!("the generator panicked on {}: {panic}", source.name),
        };
        for diagnostic in diagnostics.iter() {
            assert_eq!(diagnostic.location.file, source.name, "every problem names the file");
            assert!(!diagnostic.message.is_empty());
        }
        insta::assert_snapshot!(diagnostics.to_string());
    });
}

/// A fixture snapshot whose fixture was deleted or renamed would linger
/// unreviewed; every one must belong to a fixture that exists.
#[test]
fn no_orphaned_diagnostics_snapshots() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let prefix = "diagnostics__invalid_specs_are_refused_with_every_problem@";
    for entry in std::fs::read_dir(root.join("tests/snapshots")).expect("snapshots dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(fixture) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".snap")) {
            let path = root.join("fixtures/invalid").join(fixture);
            assert!(path.exists(), "snapshot {name} has no fixture {}; delete the snapshot", path.display());
        }
    }
}
