//! How `MODKIT__...` environment variables name config keys.

/// The prefix of every environment variable that overrides a config key.
pub(crate) const ENV_PREFIX: &str = "MODKIT__";

/// Turns the part of a variable's name after [`ENV_PREFIX`] into a config key path, or
/// `None` when a segment is empty (`MODKIT__SERVER____X`).
///
/// `__` separates segments, and segments are lowercased, since config keys are snake_case
/// while variables are usually written in capitals; except the keys of a child's
/// environment (`modules.<name>.runtime.execution.env.<KEY>`), which are variable names
/// themselves and keep their case.
///
/// Module names are kebab-case but environment variable names cannot hold a hyphen, so an
/// underscore in the segment right after `modules` stands for a hyphen:
/// `MODULES__API_GATEWAY__CONFIG__BIND_ADDR` becomes `modules.api-gateway.config.bind_addr`.
/// Every other segment keeps its underscores (`bind_addr` stays a snake_case field name).
pub(crate) fn env_key_to_path(raw: &str) -> Option<String> {
    let mut segments = Vec::new();
    for segment in raw.split("__") {
        if segment.is_empty() {
            return None;
        }
        let keeps_case = matches!(
            segments.as_slice(),
            [modules, _, runtime, execution, env]
                if modules == "modules" && runtime == "runtime" && execution == "execution" && env == "env"
        );
        segments.push(if keeps_case {
            segment.to_owned()
        } else {
            segment.to_ascii_lowercase()
        });
    }
    if segments.len() > 1 && segments[0] == "modules" {
        segments[1] = segments[1].replace('_', "-");
    }
    Some(segments.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(raw: &str) -> String {
        env_key_to_path(raw).expect("a valid key")
    }

    #[test]
    fn the_module_segment_turns_underscores_into_hyphens() {
        assert_eq!(
            path("MODULES__API_GATEWAY__CONFIG__BIND_ADDR"),
            "modules.api-gateway.config.bind_addr"
        );
        assert_eq!(
            path("modules__users__config__page_size"),
            "modules.users.config.page_size"
        );
    }

    #[test]
    fn other_sections_keep_their_underscores() {
        assert_eq!(path("SERVER__HOME_DIR"), "server.home_dir");
        assert_eq!(path("RUNTIME__STOP_TIMEOUT"), "runtime.stop_timeout");
        assert_eq!(path("MODULES"), "modules");
    }

    #[test]
    fn a_childs_environment_keys_keep_their_case() {
        assert_eq!(
            path("MODULES__CALCULATOR__RUNTIME__EXECUTION__ENV__MY_TOKEN"),
            "modules.calculator.runtime.execution.env.MY_TOKEN"
        );
        assert_eq!(
            path("MODULES__CALCULATOR__RUNTIME__EXECUTION__ARGS"),
            "modules.calculator.runtime.execution.args"
        );
        assert_eq!(
            path("MODULES__X__CONFIG__ENV__KEY"),
            "modules.x.config.env.key"
        );
    }

    #[test]
    fn an_empty_segment_is_no_key() {
        assert_eq!(env_key_to_path("SERVER____HOME_DIR"), None);
        assert_eq!(env_key_to_path("SERVER__"), None);
    }
}
