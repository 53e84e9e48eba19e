//! JSON schemas against their earlier selves, in the direction data flows.
//!
//! A request schema must still accept everything it accepted (new required fields, narrower
//! types, removed enum values and tighter limits break); a response schema must still only
//! produce what clients could read (removed or newly optional fields, wider types and new
//! enum values break). `$ref`s are followed into each manifest's own named schemas, `allOf`
//! parts are merged, and `oneOf`/`anyOf` variants are matched one by one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::bootstrap::HostManifest;

use keywords::{
    LIMITS, accepts, allowed, flatten, join, required, resolve, summary, types, variants,
};

mod keywords;
#[cfg(test)]
mod tests;

/// Which way data flows through the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// Clients write it: the new schema must accept what the old one accepted.
    Request,
    /// Clients read it: the new schema must produce only what the old one could.
    Response,
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Finding {
    /// Whether it breaks clients.
    pub(super) breaking: bool,
    /// Where, as a field path (`address.city`, `items[].id`); empty for the schema itself.
    at: String,
    /// What changed.
    what: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.what)
        } else {
            write!(f, "field `{}`: {}", self.at, self.what)
        }
    }
}

/// Compares schema `old` (whose `$ref`s name `old_manifest`'s schemas) with `new`.
pub(super) fn compare(
    old_manifest: &HostManifest,
    new_manifest: &HostManifest,
    old: &Value,
    new: &Value,
    direction: Direction,
) -> Vec<Finding> {
    let mut walk = Walk {
        old: &old_manifest.schemas,
        new: &new_manifest.schemas,
        direction,
        findings: Vec::new(),
        refs: Vec::new(),
        depth: 0,
    };
    walk.compare(old, new, "");
    walk.findings
}

/// How deep the comparison goes before it stops looking: far deeper than any real schema,
/// and a bound for schemas that nest without end through references taken at different
/// depths on the two sides.
const MAX_DEPTH: usize = 32;

struct Walk<'a> {
    old: &'a BTreeMap<String, Value>,
    new: &'a BTreeMap<String, Value>,
    direction: Direction,
    findings: Vec<Finding>,
    /// The pairs of named schemas being compared, outermost first: meeting a pair again
    /// means a recursive schema came round.
    refs: Vec<(String, String)>,
    /// How many schemas deep the comparison is.
    depth: usize,
}

impl Walk<'_> {
    fn compare(&mut self, old: &Value, new: &Value, at: &str) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.compare_resolved(old, new, at);
        self.depth -= 1;
    }

    /// [`compare`](Self::compare) one level down, `$ref`s followed.
    fn compare_resolved(&mut self, old: &Value, new: &Value, at: &str) {
        let (old, old_ref) = resolve(self.old, old);
        let (new, new_ref) = resolve(self.new, new);
        let pushed = match (old_ref, new_ref) {
            (Some(a), Some(b)) => {
                let pair = (a.to_owned(), b.to_owned());
                if self.refs.contains(&pair) {
                    return;
                }
                self.refs.push(pair);
                true
            }
            _ => false,
        };
        let old = flatten(self.old, old);
        let new = flatten(self.new, new);
        if variants(&old).is_some() || variants(&new).is_some() {
            self.compare_variants(&old, &new, at);
        } else if self.compare_types(&old, &new, at) {
            self.compare_enums(&old, &new, at);
            self.compare_limits(&old, &new, at);
            self.compare_properties(&old, &new, at);
            if let (Some(before), Some(after)) = (old.get("items"), new.get("items")) {
                self.compare(before, after, &join(at, "[]"));
            }
        }
        if pushed {
            self.refs.pop();
        }
    }

    fn found(&mut self, breaking: bool, at: &str, what: String) {
        self.findings.push(Finding {
            breaking,
            at: at.to_owned(),
            what,
        });
    }

    /// Records a type change; `false` when the types have nothing in common, so that
    /// comparing their fields would only repeat the news.
    fn compare_types(&mut self, old: &Value, new: &Value, at: &str) -> bool {
        let (before, after) = (types(old), types(new));
        if before == after {
            return true;
        }
        let shown = |set: &Option<BTreeSet<String>>| match set {
            None => "any type".to_owned(),
            Some(set) => set
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" or "),
        };
        // What the reading side must cope with, against what it was ready for.
        let (written, readable) = match self.direction {
            Direction::Request => (&before, &after),
            Direction::Response => (&after, &before),
        };
        let breaking = match (written, readable) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(written), Some(readable)) => written.iter().any(|t| !accepts(readable, t)),
        };
        let what = format!("type changed from {} to {}", shown(&before), shown(&after));
        self.found(breaking, at, what);
        match (&before, &after) {
            (Some(before), Some(after)) => {
                before.iter().any(|t| accepts(after, t)) || after.iter().any(|t| accepts(before, t))
            }
            _ => true,
        }
    }

    fn compare_enums(&mut self, old: &Value, new: &Value, at: &str) {
        let (before, after) = (allowed(old), allowed(new));
        let shown = |values: &[&Value]| {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (before, after) {
            (None, None) => {}
            (None, Some(after)) => self.found(
                self.direction == Direction::Request,
                at,
                format!("now limited to {}", shown(&after)),
            ),
            (Some(before), None) => self.found(
                self.direction == Direction::Response,
                at,
                format!("no longer limited to {}", shown(&before)),
            ),
            (Some(before), Some(after)) => {
                let removed: Vec<&Value> = before
                    .iter()
                    .filter(|v| !after.contains(v))
                    .copied()
                    .collect();
                let added: Vec<&Value> = after
                    .iter()
                    .filter(|v| !before.contains(v))
                    .copied()
                    .collect();
                if !removed.is_empty() {
                    self.found(
                        self.direction == Direction::Request,
                        at,
                        format!("value {} removed", shown(&removed)),
                    );
                }
                if !added.is_empty() {
                    self.found(
                        self.direction == Direction::Response,
                        at,
                        format!("value {} added", shown(&added)),
                    );
                }
            }
        }
    }

    /// Length, range and size limits, `pattern` and `format`. Tighter limits break
    /// requests; responses may tighten freely. A new or other `format` breaks both sides
    /// (servers validate it, clients parse by it).
    fn compare_limits(&mut self, old: &Value, new: &Value, at: &str) {
        let shown = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), Value::to_string);
        if self.direction == Direction::Request {
            for (key, upper) in LIMITS {
                let before = old.get(key).and_then(Value::as_f64);
                let after = new.get(key).and_then(Value::as_f64);
                let tighter = match (before, after) {
                    _ if before == after => continue,
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(before), Some(after)) if upper => after < before,
                    (Some(before), Some(after)) => after > before,
                };
                let what = format!(
                    "`{key}` changed from {} to {}",
                    shown(old.get(key)),
                    shown(new.get(key))
                );
                self.found(tighter, at, what);
            }
            let (before, after) = (old.get("pattern"), new.get("pattern"));
            if before != after {
                let what = format!(
                    "`pattern` changed from {} to {}",
                    shown(before),
                    shown(after)
                );
                self.found(after.is_some(), at, what);
            }
        }
        let (before, after) = (old.get("format"), new.get("format"));
        if before != after {
            let breaking = match self.direction {
                Direction::Request => after.is_some(),
                Direction::Response => before.is_some(),
            };
            let what = format!(
                "`format` changed from {} to {}",
                shown(before),
                shown(after)
            );
            self.found(breaking, at, what);
        }
    }

    fn compare_properties(&mut self, old: &Value, new: &Value, at: &str) {
        let empty = Map::new();
        let before = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let after = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (was_required, now_required) = (required(old), required(new));
        let closed = new.get("additionalProperties") == Some(&Value::Bool(false));
        let request = self.direction == Direction::Request;
        for (name, was) in before {
            let field = join(at, name);
            let Some(now) = after.get(name) else {
                let (breaking, why) = match (request, closed) {
                    (false, _) => (true, ": clients may read it"),
                    (true, true) => (true, ": the schema refuses unknown fields"),
                    (true, false) => (false, ""),
                };
                self.found(breaking, &field, format!("removed{why}"));
                continue;
            };
            let (was_req, now_req) = (was_required.contains(name), now_required.contains(name));
            if was_req != now_req {
                let (breaking, what) = match (request, now_req) {
                    (true, true) => (true, "now required"),
                    (true, false) => (false, "now optional"),
                    (false, false) => (true, "may now be missing"),
                    (false, true) => (false, "now always present"),
                };
                self.found(breaking, &field, what.to_owned());
            }
            self.compare(was, now, &field);
        }
        for name in after.keys().filter(|n| !before.contains_key(*n)) {
            let field = join(at, name);
            if request && now_required.contains(name) {
                self.found(true, &field, "new required field".to_owned());
            } else {
                self.found(false, &field, "new optional field".to_owned());
            }
        }
        // A required name with no property of its own (allowed in JSON schema).
        for name in now_required.difference(&was_required) {
            if request && !after.contains_key(name) && !before.contains_key(name) {
                self.found(true, &join(at, name), "new required field".to_owned());
            }
        }
    }

    /// Each variant the reading side was ready for must still be matched: a request's old
    /// variants by some new variant, a response's new variants by some old one.
    fn compare_variants(&mut self, old: &Value, new: &Value, at: &str) {
        let before = variants(old).unwrap_or_else(|| vec![old.clone()]);
        let after = variants(new).unwrap_or_else(|| vec![new.clone()]);
        let (must_match, against, what) = match self.direction {
            Direction::Request => (&before, &after, "no longer accepts"),
            Direction::Response => (&after, &before, "may now be"),
        };
        for variant in must_match {
            let matched = against.iter().any(|other| {
                let (old, new) = match self.direction {
                    Direction::Request => (variant, other),
                    Direction::Response => (other, variant),
                };
                !self.breaks(old, new)
            });
            if !matched {
                let what = format!("{what} {}", summary(self.old, self.new, variant));
                self.found(true, at, what);
            }
        }
    }

    /// Whether `old` against `new` has a breaking finding, without recording any.
    fn breaks(&self, old: &Value, new: &Value) -> bool {
        let mut probe = Walk {
            old: self.old,
            new: self.new,
            direction: self.direction,
            findings: Vec::new(),
            refs: self.refs.clone(),
            depth: self.depth,
        };
        probe.compare(old, new, "");
        probe.findings.iter().any(|finding| finding.breaking)
    }
}
