//! Argument and environment strings, kept the way `args_get` / `environ_get` hand them to the
//! guest: NUL-terminated and packed end to end in one buffer.
//!
//! One allocation for the whole list, not one per string: a guest given 1,000 arguments and
//! 1,000 variables used to spend most of `new WASI` allocating and copying them one by one.
//! Embedders pass lists in the same packed form (js/src/wasi.js joins strings with NUL), so
//! they cross into the engine as a single byte array.

/// Byte strings, each followed by a NUL, packed into one buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringList {
    packed: Vec<u8>,
    /// How many strings the embedder meant to pass. A NUL inside one of them splits it, so the
    /// list is well-formed only when this equals the number of NUL terminators.
    count: usize,
}

impl StringList {
    /// Strings already packed, each followed by a NUL, and how many there are meant to be.
    pub fn from_packed(packed: Vec<u8>, count: usize) -> StringList {
        StringList { packed, count }
    }

    /// Name, value, name, value… from pairs (the layout of `Config::env` and `host_env`).
    pub fn from_pairs<N: AsRef<[u8]>, V: AsRef<[u8]>>(pairs: impl IntoIterator<Item = (N, V)>) -> StringList {
        pairs.into_iter().flat_map(|(name, value)| [name.as_ref().to_vec(), value.as_ref().to_vec()]).collect()
    }

    /// The strings, NUL-terminated, end to end.
    pub fn packed(&self) -> &[u8] {
        &self.packed
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether the buffer holds exactly `len()` NUL-terminated strings: false when a string
    /// contained a NUL of its own (a C string cannot carry it) or the buffer is not terminated.
    #[inline(never)] // a hot loop: keep V8's tier-up to this small function (ctx.rs build_env)
    pub fn is_well_formed(&self) -> bool {
        self.packed.last().map_or(true, |&b| b == 0) && self.packed.iter().filter(|&&b| b == 0).count() == self.count
    }

    /// The strings, without their NULs.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let body = self.packed.strip_suffix(&[0]).unwrap_or(&self.packed);
        body.split(|&b| b == 0).take(if self.packed.is_empty() { 0 } else { usize::MAX })
    }
}

impl<S: AsRef<[u8]>> FromIterator<S> for StringList {
    /// Packs the strings; one that contains a NUL makes the list ill-formed (see
    /// [`StringList::is_well_formed`]), which [`crate::host::Ctx::new`] refuses.
    fn from_iter<I: IntoIterator<Item = S>>(strings: I) -> StringList {
        let mut list = StringList::default();
        for s in strings {
            list.packed.extend_from_slice(s.as_ref());
            list.packed.push(0);
            list.count += 1;
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_splits() {
        let list: StringList = ["prog", "", "héllo"].into_iter().collect();
        assert_eq!(list.packed(), b"prog\0\0h\xc3\xa9llo\0");
        assert_eq!(list.iter().collect::<Vec<_>>(), [&b"prog"[..], b"", "héllo".as_bytes()]);
        assert!(list.is_well_formed());
        let empty = StringList::default();
        assert_eq!(empty.iter().count(), 0);
        assert!(empty.is_well_formed());
    }

    #[test]
    fn a_nul_inside_a_string_or_a_missing_terminator_is_ill_formed() {
        let list: StringList = ["a\0b"].into_iter().collect();
        assert!(!list.is_well_formed());
        assert!(!StringList::from_packed(b"a\0b".to_vec(), 2).is_well_formed());
        assert!(!StringList::from_packed(b"a\0".to_vec(), 2).is_well_formed());
        assert!(StringList::from_packed(b"a\0b\0".to_vec(), 2).is_well_formed());
    }
}
