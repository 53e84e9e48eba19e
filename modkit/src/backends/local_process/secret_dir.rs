//! A directory only the host's user can enter, for the files that carry children's secrets.

use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Removed with everything in it when dropped.
#[derive(Debug)]
pub(super) struct SecretDir {
    path: PathBuf,
}

impl SecretDir {
    /// A new directory with mode 0700 under the system's temporary directory.
    pub(super) fn create() -> io::Result<Self> {
        let path = std::env::temp_dir().join(format!("modkit-oop-{}", uuid::Uuid::new_v4()));
        DirBuilder::new().mode(0o700).create(&path)?;
        Ok(Self { path })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `contents` to a new file with mode 0600 named after `module`.
    pub(super) fn write(&self, module: &str, contents: &[u8]) -> io::Result<PathBuf> {
        let safe: String = module
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self
            .path
            .join(format!("{safe}-{}.json", uuid::Uuid::new_v4().simple()));
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(contents)?;
        Ok(path)
    }
}

impl Drop for SecretDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn only_the_owner_can_read_and_drop_removes_everything() {
        let dir = SecretDir::create().unwrap();
        let file = dir.write("calc/../x", b"{}").unwrap();
        assert_eq!(file.parent(), Some(dir.path()));
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&file), 0o600);
        let path = dir.path().to_owned();
        drop(dir);
        assert!(!path.exists());
    }
}
