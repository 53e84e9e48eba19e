//! The paths an [`OperationBuilder`](super::OperationBuilder) accepts: the ones axum 0.8's
//! router takes without panicking, so that a bad path becomes a start-up error naming the
//! module and the path to write instead of a panic in the middle of registration.

/// Why a path cannot be routed, with the path to write instead where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path is empty or does not start with `/`.
    #[error("path `{path}` does not start with `/`; write `{fixed}`")]
    NoLeadingSlash {
        /// The path as written.
        path: String,
        /// The same path with a leading `/`.
        fixed: String,
    },
    /// A segment starts with `:` or `*`: a capture or a wildcard written the axum 0.7 way.
    #[error(
        "path `{path}` uses axum 0.7 syntax (`{segment}`); write `{fixed}` (since axum 0.8 a \
         capture is `{{name}}` and a wildcard `{{*name}}`)"
    )]
    Axum07Syntax {
        /// The path as written.
        path: String,
        /// The first segment written the axum 0.7 way.
        segment: String,
        /// The path with every such segment rewritten.
        fixed: String,
    },
    /// A `{..}` parameter the router cannot take.
    #[error("path `{path}` has an invalid parameter: {reason}")]
    BadParameter {
        /// The path as written.
        path: String,
        /// What is wrong with it, and how to write it.
        reason: &'static str,
    },
}

/// `Ok` if axum's router takes `path`; otherwise what is wrong and what to write.
pub(crate) fn check_path(path: &str) -> Result<(), PathError> {
    if !path.starts_with('/') {
        return Err(PathError::NoLeadingSlash {
            path: path.to_owned(),
            fixed: format!("/{path}"),
        });
    }
    if let Some(segment) = path.split('/').find(|s| is_axum07_segment(s)) {
        return Err(PathError::Axum07Syntax {
            path: path.to_owned(),
            segment: segment.to_owned(),
            fixed: path
                .split('/')
                .map(axum08_segment)
                .collect::<Vec<_>>()
                .join("/"),
        });
    }
    let segments: Vec<&str> = path.split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        check_segment(segment, last).map_err(|reason| PathError::BadParameter {
            path: path.to_owned(),
            reason,
        })?;
    }
    Ok(())
}

fn is_axum07_segment(segment: &str) -> bool {
    segment.starts_with(':') || segment.starts_with('*')
}

/// `:id` as `{id}`, `*rest` as `{*rest}`; any other segment unchanged.
fn axum08_segment(segment: &str) -> String {
    let name = |rest: &str| {
        if rest.is_empty() {
            "name".to_owned()
        } else {
            rest.to_owned()
        }
    };
    if let Some(rest) = segment.strip_prefix(':') {
        format!("{{{}}}", name(rest))
    } else if let Some(rest) = segment.strip_prefix('*') {
        format!("{{*{}}}", name(rest))
    } else {
        segment.to_owned()
    }
}

/// One segment's parameters, as matchit (axum's router) reads them: `{{` and `}}` are
/// literal braces, at most one parameter per segment, nothing after it, a named one, and
/// a wildcard only at the end of the path.
fn check_segment(segment: &str, last: bool) -> Result<(), &'static str> {
    let mut chars = segment.chars().peekable();
    let mut parameters = 0;
    let mut after_parameter = false;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                after_parameter = parameters > 0;
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                after_parameter = parameters > 0;
            }
            '}' => return Err("a `}` without its `{` (write `}}` for a literal brace)"),
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => {
                            return Err("a `{` without its `}` (write `{{` for a literal brace)");
                        }
                        Some(c) => name.push(c),
                    }
                }
                let wildcard = name.strip_prefix('*');
                let bare = wildcard.unwrap_or(&name);
                if bare.is_empty() {
                    return Err("a parameter needs a name, such as `{id}` or `{*rest}`");
                }
                if bare.contains('*') {
                    return Err("a parameter name cannot contain `*` (a wildcard is `{*name}`)");
                }
                if wildcard.is_some() && !last {
                    return Err("a wildcard `{*name}` must end the path");
                }
                parameters += 1;
                if parameters > 1 {
                    return Err("one parameter per segment at most (`/{a}/{b}`, not `/{a}{b}`)");
                }
            }
            _ => after_parameter = parameters > 0,
        }
        if after_parameter {
            return Err(
                "nothing may follow a parameter within its segment (`/{id}/x`, not `/{id}x`)",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use axum::Router;
    use axum::routing::get;

    use super::*;

    #[test]
    fn axum_07_captures_and_wildcards_are_refused_with_the_axum_08_form() {
        let error = check_path("/v1/notes/:id").unwrap_err();
        assert_eq!(
            error.to_string(),
            "path `/v1/notes/:id` uses axum 0.7 syntax (`:id`); write `/v1/notes/{id}` (since \
             axum 0.8 a capture is `{name}` and a wildcard `{*name}`)"
        );
        let error = check_path("/files/:owner/*rest").unwrap_err();
        assert!(
            matches!(&error, PathError::Axum07Syntax { segment, fixed, .. }
                if segment == ":owner" && fixed == "/files/{owner}/{*rest}"),
            "{error:?}"
        );
    }

    #[test]
    fn a_path_without_a_leading_slash_is_told_to_add_one() {
        assert_eq!(
            check_path("v1/notes").unwrap_err().to_string(),
            "path `v1/notes` does not start with `/`; write `/v1/notes`"
        );
        assert!(matches!(
            check_path(""),
            Err(PathError::NoLeadingSlash { fixed, .. }) if fixed == "/"
        ));
    }

    /// The rule and axum agree: every path the rule takes, axum's router takes, and every
    /// path it refuses makes axum panic.
    #[test]
    fn the_rule_accepts_exactly_what_axum_routes() {
        let accepted = [
            "/",
            "/v1/notes",
            "/v1/notes/{id}",
            "/v1/notes/{id}/tags/{tag}",
            "/files/{*rest}",
            "/v1/notes/note-{id}",
            "/literal/{{braces}}",
            "/files/x{*rest}",
            "/time:now",
            "/a/",
        ];
        let refused = [
            "",
            "v1",
            "/v1/notes/:id",
            "/files/*rest",
            "/v1/{}",
            "/v1/{*}",
            "/v1/{id",
            "/v1/id}",
            "/v1/{a}{b}",
            "/v1/{id}.json",
            "/files/{*rest}/more",
            "/v1/{a*b}",
        ];
        for path in accepted {
            assert_eq!(check_path(path), Ok(()), "{path}");
            assert!(axum_routes(path), "axum refuses {path:?}");
        }
        for path in refused {
            assert!(check_path(path).is_err(), "{path:?} passes the rule");
            assert!(!axum_routes(path), "axum takes {path:?}");
        }
    }

    fn axum_routes(path: &str) -> bool {
        catch_unwind(AssertUnwindSafe(|| {
            let _: Router = Router::new().route(path, get(|| async {}));
        }))
        .is_ok()
    }
}
