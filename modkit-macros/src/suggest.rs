//! "Did you mean" messages for misspelt keys, capabilities and method names (the rule
//! that picks the suggestion is `modkit_rules::closest`, which the runtime uses too).

use modkit_rules::closest;

/// `unknown {what} `{found}`` with the closest candidate, or the list of candidates when
/// none is close: `unknown key `dep`; did you mean `deps`?`.
pub(crate) fn unknown(what: &str, found: &str, candidates: &[&str]) -> String {
    match closest(found, candidates.iter().copied()) {
        Some(best) => did_you_mean(what, found, best),
        None => format!(
            "unknown {what} `{found}`; expected one of {}",
            list(candidates)
        ),
    }
}

/// `unknown {what} `{found}`; did you mean `{best}`?`.
pub(crate) fn did_you_mean(what: &str, found: &str, best: &str) -> String {
    format!("unknown {what} `{found}`; did you mean `{best}`?")
}

/// `` `a`, `b`, `c` ``.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_suggest_or_list() {
        let keys = ["name", "deps", "capabilities"];
        assert_eq!(
            unknown("key", "dep", &keys),
            "unknown key `dep`; did you mean `deps`?"
        );
        assert_eq!(
            unknown("capability", "cache", &["db", "rest"]),
            "unknown capability `cache`; expected one of `db`, `rest`"
        );
        assert_eq!(list(&["run"]), "`run`");
    }
}
