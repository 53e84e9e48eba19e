//! Module names are kebab-case: `users-api`.

/// Whether `name` is lowercase ASCII letters and digits in words joined by single hyphens,
/// starting with a letter (`users-api`, `oauth2`; not `2fa`, `users_api` or `Users`).
pub fn is_kebab_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `name` rewritten in kebab-case (`Users_Api`, `UsersAPI` and `users.api` all become
/// `users-api`), or `None` when no kebab-case name follows from it (`1st`, `café`).
pub fn to_kebab_case(name: &str) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        // `usersApi` -> users|api, `APIServer` -> api|server, `users2Api` -> users2|api.
        let starts_word = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
            });
        if starts_word && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    words.extend((!word.is_empty()).then_some(word));
    let kebab = words.join("-");
    is_kebab_case(&kebab).then_some(kebab)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_names_are_accepted() {
        for name in ["users", "users-api", "oauth2", "v2-users", "a", "a1"] {
            assert!(is_kebab_case(name), "{name}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        for name in [
            "",
            "Users",
            "users_api",
            "users--api",
            "-users",
            "users-",
            "2fa",
            "users api",
            "café",
        ] {
            assert!(!is_kebab_case(name), "{name}");
        }
    }

    #[test]
    fn separators_and_case_changes_become_hyphens() {
        assert_eq!(to_kebab_case("Users_Api").as_deref(), Some("users-api"));
        assert_eq!(to_kebab_case("UsersApi").as_deref(), Some("users-api"));
        assert_eq!(to_kebab_case("usersAPI").as_deref(), Some("users-api"));
        assert_eq!(to_kebab_case("APIServer").as_deref(), Some("api-server"));
        assert_eq!(to_kebab_case("users2Api").as_deref(), Some("users2-api"));
        assert_eq!(to_kebab_case("users.api").as_deref(), Some("users-api"));
        assert_eq!(
            to_kebab_case("--users__api--").as_deref(),
            Some("users-api")
        );
        assert_eq!(to_kebab_case("users api").as_deref(), Some("users-api"));
    }

    #[test]
    fn names_that_cannot_be_corrected_get_no_suggestion() {
        assert_eq!(to_kebab_case(""), None);
        assert_eq!(to_kebab_case("2fa"), None);
        assert_eq!(to_kebab_case("café"), None);
        assert_eq!(to_kebab_case("__"), None);
    }
}
