//! A route path's template (`/users/{id}`): its shape and its parameters' names.

/// `path` with every parameter's name left out: `/users/{}` (the REST host's rule too).
pub(super) use modkit_rules::route_shape as shape;

/// The names of `path`'s parameters, in order: `["id"]` for `/users/{id}`.
pub(super) fn path_parameters(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes_and_parameters() {
        assert_eq!(shape("/a/{id}/b/{key}"), "/a/{}/b/{}");
        assert_eq!(path_parameters("/a/{id}/b/{key}"), ["id", "key"]);
        assert!(path_parameters("/a").is_empty());
    }
}
