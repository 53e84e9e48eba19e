//! A route path's template (`/users/{id}`): its shape and its parameters' names.

/// `path` with every parameter's name left out: `/users/{}`.
pub(super) fn shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push('{');
            }
            '}' => {
                in_parameter = false;
                shape.push('}');
            }
            _ if in_parameter => {}
            _ => shape.push(c),
        }
    }
    shape
}

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
