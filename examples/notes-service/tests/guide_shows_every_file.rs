//! Not part of the service: checks that `docs/building-a-service.md` in modkit's repository
//! shows every file of this crate exactly as it is, so that the chapter cannot drift from
//! code that builds and passes its tests.

use std::path::{Path, PathBuf};

/// The files the chapter does not show: this check and the lock file.
const NOT_SHOWN: [&str; 2] = ["tests/guide_shows_every_file.rs", "Cargo.lock"];

#[test]
fn the_guide_chapter_shows_every_file_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chapter_path = root.join("../../docs/building-a-service.md");
    let chapter = std::fs::read_to_string(&chapter_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", chapter_path.display()));
    let mut files = vec![root.join("Cargo.toml")];
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);

    let mut not_shown = Vec::new();
    for file in &files {
        let name = file.strip_prefix(root).expect("under the crate");
        let name = name.to_string_lossy().replace('\\', "/");
        if NOT_SHOWN.contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|error| panic!("cannot read {name}: {error}"));
        let fence = if name.ends_with(".toml") {
            "toml"
        } else {
            "rs"
        };
        if !chapter.contains(&format!("```{fence}\n{text}```\n")) {
            not_shown.push(name);
        }
    }
    assert!(
        not_shown.is_empty(),
        "docs/building-a-service.md does not show these files as they are (copy each into \
         its code block): {not_shown:?}"
    );
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}
