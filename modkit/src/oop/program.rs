//! Which file a child's `execution.binary` names, found the same way by the backend that
//! spawns it and by `check`, which reports a missing one before anything starts.

use std::path::{Path, PathBuf};

use super::Execution;

impl Execution {
    /// The program to start: a bare name (`calculator-oop`) is the file beside the host's
    /// own executable when there is one, so a workspace's child binaries are found wherever
    /// cargo built them, and otherwise the name as given, for the usual `PATH` lookup; a
    /// path is used as given.
    pub fn program(&self) -> PathBuf {
        if is_bare(&self.binary)
            && let Some(beside) = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(&self.binary)))
                .filter(|candidate| candidate.is_file())
        {
            return beside;
        }
        self.binary.clone()
    }

    /// Whether [`program`](Self::program) names an executable file: beside the host or on
    /// `PATH` for a bare name, under `working_directory` for a relative path (a child
    /// resolves it there). The error says where it was looked for.
    pub fn check_program(&self) -> Result<(), String> {
        let binary = &self.binary;
        let program = self.program();
        if is_bare(&program) {
            let on_path = std::env::var_os("PATH").is_some_and(|path| {
                std::env::split_paths(&path).any(|dir| is_executable(&dir.join(&program)))
            });
            return if on_path {
                Ok(())
            } else {
                Err(format!(
                    "`{}` is neither beside the host's executable nor on `PATH`",
                    binary.display()
                ))
            };
        }
        let file = match &self.working_directory {
            Some(dir) if program.is_relative() => dir.join(&program),
            _ => program,
        };
        if is_executable(&file) {
            Ok(())
        } else if file.is_file() {
            Err(format!("`{}` is not executable", file.display()))
        } else {
            Err(format!("`{}` does not exist", file.display()))
        }
    }
}

fn is_bare(binary: &Path) -> bool {
    binary.components().count() == 1 && !binary.is_absolute()
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn execution(binary: &str, working_directory: Option<&str>) -> Execution {
        Execution {
            binary: binary.into(),
            args: Vec::new(),
            env: BTreeMap::new(),
            working_directory: working_directory.map(PathBuf::from),
        }
    }

    #[test]
    fn an_existing_program_passes_and_a_missing_one_is_named() {
        assert_eq!(execution("/bin/sh", None).check_program(), Ok(()));
        assert_eq!(execution("sh", None).check_program(), Ok(()));
        assert_eq!(execution("bin/sh", Some("/")).check_program(), Ok(()));
        let missing = execution("/no/such/calculator", None).check_program();
        assert_eq!(
            missing,
            Err("`/no/such/calculator` does not exist".to_owned())
        );
        let bare = execution("no-such-calculator-binary", None).check_program();
        assert!(
            bare.unwrap_err()
                .contains("`no-such-calculator-binary` is neither beside")
        );
        let plain = std::env::temp_dir().join(format!("modkit-plain-{}", std::process::id()));
        std::fs::write(&plain, "not a program").unwrap();
        let not_executable = execution(plain.to_str().unwrap(), None).check_program();
        let _ = std::fs::remove_file(&plain);
        assert!(not_executable.unwrap_err().contains("is not executable"));
    }
}
