//! Route templates (`/users/{id}`) compared by shape, whatever their parameters are named.

/// `path` with every parameter's name left out: `/users/{}`.
///
/// Two templates of one shape route the same requests, so the REST host refuses a second
/// one on the same method and `diff` treats a renamed parameter as the same route.
///
/// ```
/// use modkit_rules::route_shape;
///
/// assert_eq!(route_shape("/users/{id}"), "/users/{}");
/// assert_eq!(route_shape("/users/{id}"), route_shape("/users/{user_id}"));
/// assert_ne!(route_shape("/users/{id}"), route_shape("/users/{id}/posts"));
/// ```
pub fn route_shape(path: &str) -> String {
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
