//! A directory only the host's user can enter, for the files that carry children's secrets.

use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use rustix::io::Errno;
use rustix::process::{Pid, geteuid, test_kill_process};

/// The start of every secret dir's name: `modkit-oop-<pid of its host>-<uuid>`.
const PREFIX: &str = "modkit-oop-";

/// Removed with everything in it when dropped.
#[derive(Debug)]
pub(super) struct SecretDir {
    path: PathBuf,
}

impl SecretDir {
    /// A new directory with mode 0700 under the system's temporary directory, named after
    /// this process. Removes first what hosts that are gone left there.
    pub(super) fn create() -> io::Result<Self> {
        let temp = std::env::temp_dir();
        remove_stale(&temp);
        let path = temp.join(format!(
            "{PREFIX}{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
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

/// Removes the secret dirs in `temp` that hosts which are gone left behind (a SIGKILLed
/// host never runs its `Drop`): directories, not symlinks, owned by this user, named after
/// a process that no longer exists. A live host's dir, or another user's, is never touched.
fn remove_stale(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    let user = geteuid().as_raw();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(host_pid) else {
            continue;
        };
        let path = entry.path();
        let owned_dir = path
            .symlink_metadata()
            .is_ok_and(|metadata| metadata.is_dir() && metadata.uid() == user);
        if !owned_dir || is_running(pid) {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => tracing::info!(
                path = %path.display(),
                pid,
                "removed the secret dir of a host that is gone"
            ),
            Err(error) => tracing::warn!(
                path = %path.display(),
                pid,
                %error,
                "cannot remove the secret dir of a host that is gone"
            ),
        }
    }
}

/// The pid in a secret dir's name, `None` for any other name (including the pid-less
/// names of earlier versions, whose host cannot be told).
fn host_pid(name: &str) -> Option<i32> {
    let (pid, id) = name.strip_prefix(PREFIX)?.split_once('-')?;
    uuid::Uuid::parse_str(id).ok()?;
    pid.parse().ok()
}

/// Whether process `pid` exists (a zombie, or a process of another user, counts).
fn is_running(pid: i32) -> bool {
    Pid::from_raw(pid).is_none_or(|pid| test_kill_process(pid) != Err(Errno::SRCH))
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

    #[test]
    fn only_names_with_a_pid_and_a_uuid_name_a_host() {
        let id = uuid::Uuid::new_v4();
        assert_eq!(host_pid(&format!("modkit-oop-42-{id}")), Some(42));
        assert_eq!(host_pid(&format!("modkit-oop-{id}")), None);
        assert_eq!(host_pid("modkit-oop-42-not-a-uuid"), None);
        assert_eq!(host_pid(&format!("other-42-{id}")), None);
    }
}
