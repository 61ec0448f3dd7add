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
    /// Where each NUL of `packed` is, found once when the list is made: `args_get` needs every
    /// string's offset, and scanning bytes one at a time is slow in the engine's first-tier code
    /// (V8's Liftoff: ~2 ms for 40 KB), where a context's set-up always runs.
    nuls: Vec<usize>,
    /// How many strings the embedder meant to pass. A NUL inside one of them splits it, so the
    /// list is well-formed only when this equals the number of NUL terminators.
    count: usize,
}

impl StringList {
    /// Strings already packed, each followed by a NUL, and how many there are meant to be.
    pub fn from_packed(packed: Vec<u8>, count: usize) -> StringList {
        let nuls = nul_offsets(&packed);
        StringList {
            packed,
            nuls,
            count,
        }
    }

    /// Strings packed by the caller, who knows where each NUL is (`nuls`, ascending).
    pub(crate) fn from_parts(packed: Vec<u8>, nuls: Vec<usize>) -> StringList {
        let count = nuls.len();
        StringList {
            packed,
            nuls,
            count,
        }
    }

    /// Name, value, name, value… from pairs (the layout of `Config::env` and `host_env`).
    pub fn from_pairs<N: AsRef<[u8]>, V: AsRef<[u8]>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> StringList {
        pairs
            .into_iter()
            .flat_map(|(name, value)| [name.as_ref().to_vec(), value.as_ref().to_vec()])
            .collect()
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
    pub fn is_well_formed(&self) -> bool {
        self.packed.last().is_none_or(|&b| b == 0) && self.nuls.len() == self.count
    }

    /// Each string's offset in [`packed`](Self::packed) and the string, without its NUL.
    pub fn iter_with_offsets(&self) -> impl Iterator<Item = (usize, &[u8])> {
        let mut start = 0;
        self.nuls.iter().map(move |&end| {
            let string = (start, &self.packed[start..end]);
            start = end + 1;
            string
        })
    }

    /// The strings, without their NULs.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.iter_with_offsets().map(|(_, string)| string)
    }
}

/// The offsets of the zero bytes of `bytes`, eight bytes per step: a word's zero bytes are the
/// ones whose high bit survives `!(((w & 0x7f..) + 0x7f..) | w | 0x7f..)` (no carry crosses
/// bytes, since each sum is at most 0xfe). Not inlined: see ctx.rs `build_env`.
#[inline(never)]
fn nul_offsets(bytes: &[u8]) -> Vec<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut offsets = Vec::new();
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let word = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        let mut zeros = !(((word & LOW7) + LOW7) | word | LOW7);
        while zeros != 0 {
            offsets.push(base + zeros.trailing_zeros() as usize / 8);
            zeros &= zeros - 1;
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == 0 {
            offsets.push(base + i);
        }
    }
    offsets
}

impl<S: AsRef<[u8]>> FromIterator<S> for StringList {
    /// Packs the strings; one that contains a NUL makes the list ill-formed (see
    /// [`StringList::is_well_formed`]), which [`crate::host::Ctx::new`] refuses.
    fn from_iter<I: IntoIterator<Item = S>>(strings: I) -> StringList {
        let mut packed = Vec::new();
        let mut count = 0;
        for s in strings {
            packed.extend_from_slice(s.as_ref());
            packed.push(0);
            count += 1;
        }
        StringList::from_packed(packed, count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_splits() {
        let list: StringList = ["prog", "", "héllo"].into_iter().collect();
        assert_eq!(list.packed(), b"prog\0\0h\xc3\xa9llo\0");
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [&b"prog"[..], b"", "héllo".as_bytes()]
        );
        assert!(list.is_well_formed());
        let empty = StringList::default();
        assert_eq!(empty.iter().count(), 0);
        assert!(empty.is_well_formed());
    }

    #[test]
    fn zero_bytes_are_found_at_every_position_of_a_word() {
        for len in 0..40 {
            for nul in 0..len {
                let mut bytes = vec![0xffu8; len];
                bytes[nul] = 0;
                if nul + 3 < len {
                    bytes[nul + 3] = 0;
                }
                let want: Vec<usize> = (0..len).filter(|&i| bytes[i] == 0).collect();
                assert_eq!(nul_offsets(&bytes), want, "{bytes:?}");
            }
        }
        let mixed = [0x80, 0x00, 0x01, 0x7f, 0x00, 0xff, 0x00, 0x00, 0x80, 0x00];
        assert_eq!(nul_offsets(&mixed), [1, 4, 6, 7, 9]);
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
