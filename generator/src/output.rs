//! Stage 5: put the files on disk, or compare them with what is there.
//!
//! Writing builds the whole new tree in a sibling directory and swaps it in,
//! so a failed run leaves the output as it was; a run that would change
//! nothing touches nothing.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::Files;

/// Entries in the output directory that belong to builds, not to the
/// generator: kept across regeneration and never reported as stale.
const BUILD_ENTRIES: &[&str] = &["target", "Cargo.lock"];

/// How an output file differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// The file does not exist yet.
    Added(String),
    /// The file exists with other contents.
    Modified(String),
    /// The file exists but the generator no longer produces it.
    Removed(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(path) => write!(f, "missing:  {path}"),
            Change::Modified(path) => write!(f, "stale:    {path}"),
            Change::Removed(path) => write!(f, "orphaned: {path}"),
        }
    }
}

/// Compares `dir` with `files` and lists every difference, orphans included.
pub fn check(dir: &Path, files: &Files) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (path, contents) in files {
        match fs::read(dir.join(path)) {
            Ok(existing) if existing == contents.as_bytes() => {}
            Ok(_) => changes.push(Change::Modified(path.clone())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => changes.push(Change::Added(path.clone())),
            Err(error) => return Err(error),
        }
    }
    for path in existing_files(dir)? {
        if !files.contains_key(&path) {
            changes.push(Change::Removed(path));
        }
    }
    changes.sort();
    Ok(changes)
}

/// Makes `dir` hold exactly `files` (plus build entries already there).
/// Returns what changed; nothing is written when nothing would change.
pub fn write(dir: &Path, files: &Files) -> io::Result<Vec<Change>> {
    let changes = check(dir, files)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{name}.staging"));
    let previous = parent.join(format!(".{name}.previous"));
    remove_if_present(&staging)?;
    remove_if_present(&previous)?;

    if let Err(error) = stage(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if let Err(error) = swap(dir, &staging, &previous) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    remove_if_present(&previous)?;
    Ok(changes)
}

fn stage(staging: &Path, files: &Files) -> io::Result<()> {
    for (path, contents) in files {
        let target = staging.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, contents)?;
    }
    Ok(())
}

/// Moves `dir` aside, moves `staging` into its place, carries the build
/// entries over, and on any failure puts the old directory back.
fn swap(dir: &Path, staging: &Path, previous: &Path) -> io::Result<()> {
    let had_dir = dir.exists();
    if had_dir {
        fs::rename(dir, previous)?;
    }
    if let Err(error) = fs::rename(staging, dir) {
        if had_dir {
            fs::rename(previous, dir)?;
        }
        return Err(error);
    }
    if had_dir {
        for entry in BUILD_ENTRIES {
            let old = previous.join(entry);
            if old.exists() {
                fs::rename(old, dir.join(entry))?;
            }
        }
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// Every file under `dir` as a `/`-separated relative path, build entries
/// excepted. A missing directory has no files.
fn existing_files(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if relative.as_os_str().is_empty() && BUILD_ENTRIES.contains(&name.as_str()) {
                continue;
            }
            let path = relative.join(&name);
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                let text: Vec<String> =
                    path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                found.insert(text.join("/"));
            }
        }
    }
    Ok(found)
}
