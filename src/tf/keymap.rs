//! `KeyMap`: the sorted small map behind object attributes, map entries and object types.
//!
//! A value tree is built once per decode and dropped soon after; a B-tree costs a node allocation per
//! few entries and a walk on drop. One sorted `Vec` costs a single allocation, drops as a slice and looks
//! keys up by binary search. Iteration is in key order, which the codecs and the plan engine rely on.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A map key: an attribute name or a map key. Shared, not copied: an object decoded against a type holds
/// the type's own attribute names, so a decode allocates no key and a drop frees none.
/// Comparison, ordering and hashing are those of the text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(Arc<str>);

impl Default for Key {
    fn default() -> Key {
        Key::from("")
    }
}

impl Key {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key(Arc::from(s))
    }
}

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key(Arc::from(s.as_str()))
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key(Arc::from(s))
    }
}

impl From<&Key> for Key {
    fn from(k: &Key) -> Key {
        k.clone()
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.0.to_string()
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A map from [`Key`] to `V` with unique keys, kept sorted by key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyMap<V> {
    entries: Vec<(Key, V)>,
}

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap {
            entries: Vec::new(),
        }
    }
}

impl<V> KeyMap<V> {
    pub const fn new() -> Self {
        KeyMap {
            entries: Vec::new(),
        }
    }

    /// A map from entries in any order; of duplicate keys the last wins (as `BTreeMap::from_iter`).
    pub fn from_entries(mut entries: Vec<(Key, V)>) -> Self {
        // Decoders almost always deliver sorted, unique keys: check before paying for a sort.
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return KeyMap { entries };
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Key, V)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        KeyMap { entries: out }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Key, &V)> {
        self.find(key).ok().map(|i| {
            let (k, v) = &self.entries[i];
            (k, v)
        })
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        match self.find(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Inserts or replaces; returns the value replaced. A replaced entry keeps its key, so replacing
    /// converts (allocates) no key.
    pub fn insert<K: AsRef<str> + Into<Key>>(&mut self, key: K, value: V) -> Option<V> {
        match self.find(key.as_ref()) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key.into(), value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.entries.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        IterMut(self.entries.iter_mut())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }
}

/// Borrowing iterator in key order.
#[derive(Clone)]
pub struct Iter<'a, V>(std::slice::Iter<'a, (Key, V)>);

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a Key, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

/// Mutably borrowing iterator in key order.
pub struct IterMut<'a, V>(std::slice::IterMut<'a, (Key, V)>);

impl<'a, V> Iterator for IterMut<'a, V> {
    type Item = (&'a Key, &'a mut V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> ExactSizeIterator for IterMut<'_, V> {}

impl<'a, V> IntoIterator for &'a KeyMap<V> {
    type Item = (&'a Key, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<'a, V> IntoIterator for &'a mut KeyMap<V> {
    type Item = (&'a Key, &'a mut V);
    type IntoIter = IterMut<'a, V>;
    fn into_iter(self) -> IterMut<'a, V> {
        self.iter_mut()
    }
}

impl<V> IntoIterator for KeyMap<V> {
    type Item = (Key, V);
    type IntoIter = std::vec::IntoIter<(Key, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<Key>, V> FromIterator<(K, V)> for KeyMap<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        KeyMap::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl<K: Into<Key>, V, const N: usize> From<[(K, V); N]> for KeyMap<V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: AsRef<str> + Into<Key>, V> Extend<(K, V)> for KeyMap<V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for KeyMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn sorts_and_keeps_the_last_duplicate() {
        let m: KeyMap<i32> = [("b", 1), ("a", 2), ("b", 3), ("c", 4)].into();
        let got: Vec<_> = m.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(got, [("a", 2), ("b", 3), ("c", 4)]);
    }

    #[test]
    fn edits_keep_order() {
        let mut m = KeyMap::new();
        assert_eq!(m.insert("m", 1), None);
        assert_eq!(m.insert("a", 2), None);
        assert_eq!(m.insert("z", 3), None);
        assert_eq!(m.insert("m", 4), Some(1));
        assert_eq!(
            m.keys().map(Key::as_str).collect::<Vec<_>>(),
            ["a", "m", "z"]
        );
        assert_eq!(m.get("m"), Some(&4));
        assert_eq!(m.remove("a"), Some(2));
        assert_eq!(m.remove("a"), None);
        assert!(!m.contains_key("a") && m.contains_key("z"));
        *m.get_mut("z").unwrap() = 9;
        m.extend([("b", 7)]);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [7, 4, 9]);
        assert_eq!(format!("{m:?}"), r#"{"b": 7, "m": 4, "z": 9}"#);
    }

    proptest! {
        /// Same contents, order, lookups and comparisons as the BTreeMap it replaces.
        #[test]
        fn behaves_like_btreemap(
            ops in prop::collection::vec(("[a-e]{0,2}", any::<u8>(), any::<bool>()), 0..40),
            other in prop::collection::vec(("[a-e]{0,2}", any::<u8>()), 0..8),
        ) {
            let mut ours = KeyMap::new();
            let mut theirs = BTreeMap::new();
            for (k, v, ins) in &ops {
                if *ins {
                    prop_assert_eq!(ours.insert(k.as_str(), *v), theirs.insert(k.clone(), *v));
                } else {
                    prop_assert_eq!(ours.remove(k), theirs.remove(k));
                }
            }
            let flat = |m: &KeyMap<u8>| m.iter().map(|(k, v)| (k.to_string(), *v)).collect::<Vec<_>>();
            prop_assert_eq!(flat(&ours), theirs.clone().into_iter().collect::<Vec<_>>());
            let collected: KeyMap<u8> = ops.iter().map(|(k, v, _)| (k.as_str(), *v)).collect();
            let expected: BTreeMap<String, u8> = ops.iter().map(|(k, v, _)| (k.clone(), *v)).collect();
            prop_assert_eq!(flat(&collected), expected.into_iter().collect::<Vec<_>>());
            let o1: KeyMap<u8> = other.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            let o2: BTreeMap<String, u8> = other.iter().cloned().collect();
            prop_assert_eq!(ours.cmp(&o1), theirs.cmp(&o2));
            prop_assert_eq!(ours == o1, theirs == o2);
        }
    }
}
