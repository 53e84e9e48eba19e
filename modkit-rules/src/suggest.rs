//! "Did you mean" for misspelt names, keys and capabilities.

/// The candidate closest to `wanted`, if it is close enough to be a likely typo: at most one
/// edit per three characters, ignoring case. Ties go to the earlier candidate.
///
/// ```
/// use modkit_rules::closest;
///
/// assert_eq!(closest("capabilites", ["name", "deps", "capabilities"]), Some("capabilities"));
/// assert_eq!(closest("flavour", ["name", "deps"]), None);
/// ```
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .enumerate()
        .map(|(order, candidate)| {
            let distance = edit_distance(&wanted, &candidate.to_lowercase());
            (distance, order, candidate)
        })
        .filter(|&(distance, _, _)| distance <= limit)
        .min()
        .map(|(_, _, candidate)| candidate)
}

/// Optimal string alignment distance: inserting, deleting or replacing a character, or
/// swapping two neighbours, each costs one (`rets` is one edit from `rest`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        table[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        table[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let replace = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[at(i - 1, j)] + 1)
                .min(table[at(i, j - 1)] + 1)
                .min(table[at(i - 1, j - 1)] + replace);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[at(i - 2, j - 2)] + 1);
            }
            table[at(i, j)] = best;
        }
    }
    table[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 6] = [
        "name",
        "deps",
        "capabilities",
        "ctor",
        "client",
        "lifecycle",
    ];

    #[test]
    fn a_swapped_pair_of_letters_is_one_edit() {
        assert_eq!(edit_distance("rets", "rest"), 1);
        assert_eq!(closest("rets", ["db", "rest", "rest_host"]), Some("rest"));
        assert_eq!(closest("audti", ["users", "audit"]), Some("audit"));
    }

    #[test]
    fn a_missing_or_extra_letter_is_suggested() {
        assert_eq!(closest("dep", KEYS), Some("deps"));
        assert_eq!(closest("capabilites", KEYS), Some("capabilities"));
        assert_eq!(
            closest("stop_timout", ["stop_timeout"]),
            Some("stop_timeout")
        );
    }

    #[test]
    fn case_is_ignored() {
        assert_eq!(closest("Rest", ["db", "rest"]), Some("rest"));
        assert_eq!(closest("NAME", KEYS), Some("name"));
    }

    #[test]
    fn unrelated_words_are_not_suggested() {
        assert_eq!(closest("flavour", KEYS), None);
        assert_eq!(closest("x", ["db", "rest"]), None);
        assert_eq!(closest("billing", ["users", "audit"]), None);
    }

    #[test]
    fn ties_go_to_the_earlier_candidate() {
        assert_eq!(closest("grpcc", ["grpc", "grpc_hub"]), Some("grpc"));
        assert_eq!(
            closest("rest_hst", ["rest", "rest_host"]),
            Some("rest_host")
        );
        assert_eq!(closest("usr", ["user", "users"]), Some("user"));
    }
}
