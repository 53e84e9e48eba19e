//! How `MODKIT__...` environment variables name config keys.

/// The prefix of every environment variable that overrides a config key.
pub(crate) const ENV_PREFIX: &str = "MODKIT__";

/// Turns the part of a variable's name after [`ENV_PREFIX`], already lowercased and split
/// on `__` into dots, into a config key path.
///
/// Module names are kebab-case but environment variable names cannot hold a hyphen, so an
/// underscore in the segment right after `modules` stands for a hyphen:
/// `modules.api_gateway.config.bind_addr` becomes `modules.api-gateway.config.bind_addr`.
/// Every other segment is kept as it is (`bind_addr` stays a snake_case field name).
pub(crate) fn env_key_to_path(key: &str) -> String {
    let mut segments: Vec<String> = key.split('.').map(str::to_owned).collect();
    if segments.len() > 1 && segments[0] == "modules" {
        segments[1] = segments[1].replace('_', "-");
    }
    segments.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_segment_turns_underscores_into_hyphens() {
        assert_eq!(
            env_key_to_path("modules.api_gateway.config.bind_addr"),
            "modules.api-gateway.config.bind_addr"
        );
        assert_eq!(
            env_key_to_path("modules.users.config.page_size"),
            "modules.users.config.page_size"
        );
    }

    #[test]
    fn other_sections_keep_their_underscores() {
        assert_eq!(env_key_to_path("server.home_dir"), "server.home_dir");
        assert_eq!(
            env_key_to_path("runtime.stop_timeout"),
            "runtime.stop_timeout"
        );
        assert_eq!(env_key_to_path("modules"), "modules");
    }
}
