//! Module names interned to dense indices, so that the graph work runs on integers.
//!
//! A small open-addressing table rather than a `HashMap<&str, u32>`: at 100,000 modules
//! and 500,000 dependencies, resolving names is bound by cache misses (the table's slot,
//! then the candidate name's bytes), not by hashing. The table keeps 8 bytes per slot
//! (a 32-bit hash tag and the value), at most half full, and no names: the caller says
//! where the name of a value is (`name_of`), so the registry's own arrays serve. And
//! [`NameIndex::get_batch`] issues the loads for many lookups before using any of them, so
//! their misses overlap instead of queueing one after another.

use std::hint::black_box;

/// Maps distinct module names to `u32` values; the names themselves live with the caller.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    /// `tag << 32 | (value + 1)`, or 0 for an empty slot; the length is a power of two.
    slots: Vec<u64>,
    len: usize,
}

/// Lookups issued together by [`NameIndex::get_batch`].
const BATCH: usize = 32;

impl NameIndex {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: vec![0; slots_for(capacity)],
            len: 0,
        }
    }

    /// The number of names.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Records `name` as `value`; returns `false`, recording nothing, when the name is
    /// already taken. `name_of` gives the name of each value recorded so far.
    #[cfg(test)]
    pub(crate) fn insert<'n>(
        &mut self,
        name: &str,
        value: u32,
        name_of: impl Fn(u32) -> &'n str,
    ) -> bool {
        self.insert_hashed(name, hash(name), value, &name_of)
    }

    fn insert_hashed<'n>(
        &mut self,
        name: &str,
        hash: u64,
        value: u32,
        name_of: &impl Fn(u32) -> &'n str,
    ) -> bool {
        if self.slots.len() < slots_for(self.len + 1) {
            self.grow(name_of);
        }
        let mask = self.slots.len() - 1;
        let tag = tag_of(hash);
        let mut slot = hash as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                self.slots[slot] = tag | (u64::from(value) + 1);
                self.len += 1;
                return true;
            }
            if entry & TAG_MASK == tag && same(name_of(value_of(entry)), name) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Records `names[i]` as `values(i)` for every `i` in order, as [`insert`](Self::insert)
    /// one at a time would; `inserted` gets one flag per name.
    pub(crate) fn insert_batch<'n>(
        &mut self,
        names: impl ExactSizeIterator<Item = &'n str>,
        values: impl Fn(usize) -> u32,
        name_of: impl Fn(u32) -> &'n str,
        inserted: &mut Vec<bool>,
    ) {
        let mut names = names.enumerate().peekable();
        let mut batch: [(usize, &str, u64); BATCH] = [(0, "", 0); BATCH];
        while names.peek().is_some() {
            let mut len = 0;
            for (entry, (i, name)) in batch.iter_mut().zip(&mut names) {
                *entry = (i, name, hash(name));
                len += 1;
            }
            let batch = &batch[..len];
            if self.slots.len() >= slots_for(self.len + len) {
                self.touch_slots(batch.iter().map(|&(_, _, hash)| hash));
            }
            for &(i, name, hash) in batch {
                inserted.push(self.insert_hashed(name, hash, values(i), &name_of));
            }
        }
    }

    /// The value recorded for `name`; `name_of` gives the name of each value.
    pub(crate) fn get<'n>(&self, name: &str, name_of: impl Fn(u32) -> &'n str) -> Option<u32> {
        self.get_hashed(name, hash(name), &name_of)
    }

    fn get_hashed<'n>(
        &self,
        name: &str,
        hash: u64,
        name_of: &impl Fn(u32) -> &'n str,
    ) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let tag = tag_of(hash);
        let mut slot = hash as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            if entry & TAG_MASK == tag && same(name_of(value_of(entry)), name) {
                return Some(value_of(entry));
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Looks up every name, as [`get`](Self::get) one at a time would; `found` gets one
    /// result per name.
    pub(crate) fn get_batch<'q, 'n>(
        &self,
        names: impl IntoIterator<Item = &'q str>,
        name_of: impl Fn(u32) -> &'n str,
        found: &mut Vec<Option<u32>>,
    ) {
        let mut names = names.into_iter().peekable();
        let Some(mask) = self.slots.len().checked_sub(1) else {
            found.extend(names.map(|_| None));
            return;
        };
        let mut batch: [(&str, u64); BATCH] = [("", 0); BATCH];
        while names.peek().is_some() {
            let mut len = 0;
            for (entry, name) in batch.iter_mut().zip(&mut names) {
                *entry = (name, hash(name));
                len += 1;
            }
            let batch = &batch[..len];
            self.touch_slots(batch.iter().map(|&(_, hash)| hash));
            // The first entry with the right tag: almost always the name itself.
            let mut candidates = [None; BATCH];
            for (candidate, &(_, hash)) in candidates.iter_mut().zip(batch) {
                let tag = tag_of(hash);
                let mut slot = hash as usize & mask;
                loop {
                    let entry = self.slots[slot];
                    if entry == 0 {
                        break;
                    }
                    if entry & TAG_MASK == tag {
                        *candidate = Some(value_of(entry));
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            let candidates = &candidates[..len];
            // Load the candidates' names, then their bytes, a batch at a time.
            let mut touched = 0usize;
            for &candidate in candidates.iter().flatten() {
                touched ^= name_of(candidate).len();
            }
            for &candidate in candidates.iter().flatten() {
                touched ^= usize::from(name_of(candidate).as_bytes().first().copied().unwrap_or(0));
            }
            black_box(touched);
            for (&(name, hash), &candidate) in batch.iter().zip(candidates) {
                found.push(match candidate {
                    None => None,
                    Some(value) if same(name_of(value), name) => Some(value),
                    // Two names sharing a tag: walk the whole probe sequence.
                    Some(_) => self.get_hashed(name, hash, &name_of),
                });
            }
        }
    }

    /// Reads the first slot of each hash, so that the probes that follow hit the cache.
    fn touch_slots(&self, hashes: impl Iterator<Item = u64>) {
        let mask = self.slots.len() - 1;
        let mut touched = 0u64;
        for hash in hashes {
            touched ^= self.slots[hash as usize & mask];
        }
        black_box(touched);
    }

    /// Replaces every recorded value `v` with `to(v)`. Only the values change: each name
    /// must be found by its new value afterwards, through whatever `name_of` is used then.
    pub(crate) fn remap(&mut self, to: impl Fn(u32) -> u32) {
        for entry in self.slots.iter_mut().filter(|entry| **entry != 0) {
            *entry = (*entry & TAG_MASK) | (u64::from(to(value_of(*entry))) + 1);
        }
    }

    fn grow<'n>(&mut self, name_of: &impl Fn(u32) -> &'n str) {
        let mut grown = vec![0u64; slots_for(self.len + 1).max(self.slots.len() * 2)];
        let mask = grown.len() - 1;
        for &entry in self.slots.iter().filter(|&&entry| entry != 0) {
            let mut slot = hash(name_of(value_of(entry))) as usize & mask;
            while grown[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            grown[slot] = entry;
        }
        self.slots = grown;
    }
}

const TAG_MASK: u64 = 0xffff_ffff_0000_0000;

/// Slots for `names` names: a power of two, at most half full.
fn slots_for(names: usize) -> usize {
    (names * 2).next_power_of_two().max(8)
}

fn tag_of(hash: u64) -> u64 {
    hash & TAG_MASK
}

fn value_of(entry: u64) -> u32 {
    // The low half holds `value + 1`; values are indices below `u32::MAX`.
    ((entry & !TAG_MASK) - 1) as u32
}

/// A multiply-fold string hash (the wyhash/foldhash scheme): module names are short,
/// trusted strings chosen by developers, so SipHash's flooding resistance buys nothing
/// here, and every byte and the length take part (names that differ only in their last
/// characters, `m0000001` and `m0000002`, spread over the whole table). A collision only
/// costs a string comparison.
pub(crate) fn hash(name: &str) -> u64 {
    const K0: u64 = 0x243f_6a88_85a3_08d3;
    const K1: u64 = 0x1319_8a2e_0370_7344;
    const K2: u64 = 0xa409_3822_299f_31d0;
    let bytes = name.as_bytes();
    let len = bytes.len();
    let mut seed = K2 ^ len as u64;
    let (lo, hi) = if len <= 16 {
        if len >= 8 {
            (read_u64(bytes, 0), read_u64(bytes, len - 8))
        } else if len >= 4 {
            (
                u64::from(read_u32(bytes, 0)),
                u64::from(read_u32(bytes, len - 4)),
            )
        } else if len > 0 {
            let packed = u64::from(bytes[0]) << 16
                | u64::from(bytes[len / 2]) << 8
                | u64::from(bytes[len - 1]);
            (packed, 0)
        } else {
            (0, 0)
        }
    } else {
        let mut at = 0;
        while len - at > 16 {
            seed = fold_mul(read_u64(bytes, at) ^ K0, read_u64(bytes, at + 8) ^ seed);
            at += 16;
        }
        (read_u64(bytes, len - 16), read_u64(bytes, len - 8))
    };
    fold_mul(fold_mul(lo ^ K0, hi ^ K1 ^ seed), K2 ^ len as u64)
}

/// `a == b`, inline for the short strings module names are (no call to `memcmp`).
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len >= 8 {
        let mut at = 0;
        while at + 8 < len {
            if read_u64(a, at) != read_u64(b, at) {
                return false;
            }
            at += 8;
        }
        read_u64(a, len - 8) == read_u64(b, len - 8)
    } else if len >= 4 {
        read_u32(a, 0) == read_u32(b, 0) && read_u32(a, len - 4) == read_u32(b, len - 4)
    } else {
        a == b
    }
}

fn fold_mul(x: u64, y: u64) -> u64 {
    let full = u128::from(x) * u128::from(y);
    (full as u64) ^ ((full >> 64) as u64)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table over `names`, each recorded as its position.
    fn table(names: &[&'static str], capacity: usize) -> (NameIndex, Vec<bool>) {
        let mut index = NameIndex::with_capacity(capacity);
        let mut inserted = Vec::new();
        index.insert_batch(
            names.iter().copied(),
            |i| i as u32,
            |v| names[v as usize],
            &mut inserted,
        );
        (index, inserted)
    }

    #[test]
    fn names_map_to_their_first_value() {
        let names = ["users", "audit", "users"];
        let name_of = |v: u32| names[v as usize];
        let mut index = NameIndex::with_capacity(2);
        assert!(index.insert("users", 0, name_of));
        assert!(index.insert("audit", 1, name_of));
        assert!(!index.insert("users", 2, name_of));
        assert_eq!(index.len(), 2);
        assert_eq!(index.get("users", name_of), Some(0));
        assert_eq!(index.get("audit", name_of), Some(1));
        assert_eq!(index.get("nobody", name_of), None);
        assert_eq!(NameIndex::default().get("users", name_of), None);
    }

    #[test]
    fn same_is_string_equality() {
        let samples = [
            "",
            "a",
            "b",
            "ab",
            "abc",
            "abd",
            "abcd",
            "abce",
            "abcdefg",
            "abcdefh",
            "bbcdefg",
            "abcdefgh",
            "abcdefgi",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "bbcdefghijklmnop",
            "abcdefgXijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "a\0",
            "a\0\0\0\0\0\0\0\0",
            "m0123456789ab-12345",
            "m0123456789ab-12346",
            "m0123456789ac-12345",
            "n0123456789ab-12345",
            "a-much-longer-module-name-1",
            "a-much-longer-module-name-2",
            "a-much-longer-modulX-name-1",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(same(a, b), a == b, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn names_sharing_a_prefix_hash_apart() {
        assert_ne!(hash("module-00000001"), hash("module-00000002"));
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash(""), hash("\0"));
        let long = "a-module-name-well-past-sixteen-bytes";
        assert_ne!(hash(long), hash(&long[..long.len() - 1]));
    }

    /// Names of every length class, many sharing prefixes.
    fn names(count: usize) -> Vec<&'static str> {
        (0..count)
            .map(|i| -> &'static str {
                match i % 4 {
                    0 => format!("m{i}").leak(),
                    1 => format!("mod-{i}").leak(),
                    2 => format!("a-module-{i:08}").leak(),
                    _ => format!("a-much-longer-module-name-{i}").leak(),
                }
            })
            .collect()
    }

    #[test]
    fn batches_agree_with_single_lookups_while_growing() {
        let names = names(5000);
        let mut with_repeats = names.clone();
        with_repeats.extend_from_slice(&names[..100]);
        // Start too small, so that the table grows several times.
        let (index, inserted) = table(&with_repeats, 1);
        assert!(inserted[..5000].iter().all(|&ok| ok));
        assert!(inserted[5000..].iter().all(|&ok| !ok));
        assert_eq!(index.len(), 5000);

        let name_of = |v: u32| with_repeats[v as usize];
        let mut queries: Vec<&str> = names.iter().rev().copied().collect();
        queries.extend(["", "absent", "m", "a-module-"]);
        let mut found = Vec::new();
        index.get_batch(queries.iter().copied(), name_of, &mut found);
        let single: Vec<Option<u32>> = queries
            .iter()
            .map(|name| index.get(name, name_of))
            .collect();
        assert_eq!(found, single);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.get(name, name_of), Some(i as u32));
        }
        assert_eq!(&found[5000..], &[None, None, None, None]);
    }

    #[test]
    fn a_name_behind_another_with_its_tag_is_still_found() {
        // "other" sits in the slot "wanted" hashes to, carrying "wanted"'s tag; "wanted"
        // sits in the next slot.
        let names = ["other", "wanted"];
        let name_of = |v: u32| names[v as usize];
        let mut index = NameIndex::with_capacity(4);
        let mask = index.slots.len() - 1;
        let wanted = hash("wanted");
        index.slots[wanted as usize & mask] = tag_of(wanted) | 1;
        index.slots[(wanted as usize + 1) & mask] = tag_of(wanted) | 2;
        index.len = 2;
        let mut found = Vec::new();
        index.get_batch(["wanted", "absent"], name_of, &mut found);
        assert_eq!(found, vec![Some(1), None]);
        assert_eq!(index.get("wanted", name_of), Some(1));
        assert_eq!(
            index.get("other", name_of),
            None,
            "\"other\" is not where its own hash leads"
        );
    }

    #[test]
    fn remapping_changes_the_values() {
        let (mut index, _) = table(&["a", "b", "c"], 3);
        let to = [2, 0, 1];
        index.remap(|v| to[v as usize]);
        let reordered = ["b", "c", "a"];
        let name_of = |v: u32| reordered[v as usize];
        assert_eq!(index.get("a", name_of), Some(2));
        assert_eq!(index.get("b", name_of), Some(0));
        assert_eq!(index.get("c", name_of), Some(1));
    }
}
