//! A hasher for maps keyed by `TypeId`.

use std::hash::{BuildHasherDefault, Hasher};

/// The `BuildHasher` of every map keyed by `TypeId` in the hub.
pub(super) type TypeIdHash = BuildHasherDefault<TypeIdHasher>;

/// Passes `TypeId`'s hash through instead of hashing it again.
///
/// A `TypeId` is already a high-quality hash of its type and feeds itself to the hasher as a
/// single `u64`, so SipHash over it would only add time to every `get`. The first `u64`
/// written comes out unchanged; anything else is folded in word by word, so the hasher stays
/// correct (equal input, equal hash) if std ever changes what `TypeId::hash` writes.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct TypeIdHasher {
    hash: u64,
}

impl TypeIdHasher {
    fn fold(&mut self, word: u64) {
        // Starting from 0, the first word passes through untouched; later words are mixed
        // with what came before so that word order still matters.
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        self.hash = self.hash.rotate_left(5).wrapping_mul(K) ^ word;
    }
}

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.fold(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.fold(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.fold(n);
    }
}

#[cfg(test)]
mod tests {
    use std::any::TypeId;
    use std::collections::HashMap;
    use std::hash::{BuildHasher, Hash};

    use super::*;

    fn hash_of(value: impl Hash) -> u64 {
        TypeIdHash::default().hash_one(value)
    }

    #[test]
    fn a_single_u64_passes_through() {
        let mut hasher = TypeIdHasher::default();
        hasher.write_u64(0xdead_beef);
        assert_eq!(hasher.finish(), 0xdead_beef);
    }

    #[test]
    fn type_ids_hash_deterministically_and_apart() {
        assert_eq!(hash_of(TypeId::of::<u8>()), hash_of(TypeId::of::<u8>()));
        assert_ne!(hash_of(TypeId::of::<u8>()), hash_of(TypeId::of::<u16>()));
    }

    #[test]
    fn arbitrary_bytes_hash_consistently() {
        let text = "a string longer than one eight-byte word";
        assert_eq!(hash_of(text), hash_of(text.to_owned()));
        assert_ne!(hash_of("abc"), hash_of("abd"));
        assert_ne!(hash_of((1_u64, 2_u64)), hash_of((2_u64, 1_u64)));
    }

    #[test]
    fn works_as_a_map_hasher_for_any_key() {
        let mut map: HashMap<String, usize, TypeIdHash> = HashMap::default();
        for n in 0..100 {
            map.insert(format!("key-{n}"), n);
        }
        assert!((0..100).all(|n| map[&format!("key-{n}")] == n));
    }
}
