//! Canonical ABI layout (docs/components.md, "Instantiation"): size, alignment and flattening of
//! every component value type, computed once per compiled component. The JS side only reads the
//! numbers this produces; it never works a layout out itself.

/// A core value type in a flattened signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flat {
    I32,
    I64,
    F32,
    F64,
}

impl Flat {
    pub fn name(self) -> &'static str {
        match self {
            Flat::I32 => "i32",
            Flat::I64 => "i64",
            Flat::F32 => "f32",
            Flat::F64 => "f64",
        }
    }

    /// The spec's `join`: the core type that can carry either of two variant cases' values.
    pub fn join(self, other: Flat) -> Flat {
        match (self, other) {
            (a, b) if a == b => a,
            (Flat::I32, Flat::F32) | (Flat::F32, Flat::I32) => Flat::I32,
            _ => Flat::I64,
        }
    }
}

/// Flat parameters beyond this many are passed through memory (the spec's MAX_FLAT_PARAMS).
pub const MAX_FLAT_PARAMS: usize = 16;
/// Flat results beyond this many are returned through memory (the spec's MAX_FLAT_RESULTS).
pub const MAX_FLAT_RESULTS: usize = 1;

/// Where a value of one type lives in linear memory and how it flattens to core values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub size: u32,
    pub align: u32,
    pub flat: Vec<Flat>,
}

impl Layout {
    pub fn scalar(size: u32, flat: Flat) -> Layout {
        Layout {
            size,
            align: size,
            flat: vec![flat],
        }
    }

    /// A string or list: a 32-bit pointer and a 32-bit length.
    pub fn pointer_pair() -> Layout {
        Layout {
            size: 8,
            align: 4,
            flat: vec![Flat::I32, Flat::I32],
        }
    }
}

pub fn align_to(offset: u32, align: u32) -> u32 {
    offset.div_ceil(align) * align
}

/// Fields laid out one after another, each at its alignment: the offsets and the whole layout
/// (records, tuples, and a function's parameters when they spill to memory).
pub fn sequence(fields: &[&Layout]) -> (Vec<u32>, Layout) {
    let mut offset = 0u32;
    let mut align = 1u32;
    let mut offsets = Vec::with_capacity(fields.len());
    let mut flat = Vec::new();
    for f in fields {
        offset = align_to(offset, f.align);
        offsets.push(offset);
        offset += f.size;
        align = align.max(f.align);
        flat.extend_from_slice(&f.flat);
    }
    let size = align_to(offset, align);
    (offsets, Layout { size, align, flat })
}

/// A fixed-length list `list<T, n>`: n elements one after another, flattened as n copies of
/// T's flat types. The flat form stops after MAX_FLAT_PARAMS + 1 values: a value that long
/// always goes through memory, and a list may have up to 2^30 elements. The size saturates
/// (the validator bounds it well below; a saturated size would fail every bounds check).
pub fn fixed_list(element: &Layout, length: u32) -> Layout {
    let values = element.flat.len().saturating_mul(length as usize);
    Layout {
        size: element.size.saturating_mul(length),
        align: element.align,
        flat: element
            .flat
            .iter()
            .copied()
            .cycle()
            .take(values.min(MAX_FLAT_PARAMS + 1))
            .collect(),
    }
}

/// The byte size of a variant's discriminant with `cases` cases.
pub fn discriminant_size(cases: usize) -> u32 {
    if cases <= 1 << 8 {
        1
    } else if cases <= 1 << 16 {
        2
    } else {
        4
    }
}

/// A variant (also enum, option, result): discriminant, then the payload at `payload_offset`.
/// Returns that offset and the layout; the flat form is the discriminant followed by the cases'
/// flat types joined position by position.
pub fn variant(cases: &[Option<&Layout>]) -> (u32, Layout) {
    let disc = discriminant_size(cases.len());
    let mut max_align = disc;
    let mut max_size = 0;
    let mut joined: Vec<Flat> = Vec::new();
    for case in cases.iter().flatten() {
        max_align = max_align.max(case.align);
        max_size = max_size.max(case.size);
        for (i, f) in case.flat.iter().enumerate() {
            match joined.get_mut(i) {
                Some(j) => *j = j.join(*f),
                None => joined.push(*f),
            }
        }
    }
    let payload_offset = align_to(disc, max_align);
    let size = align_to(payload_offset + max_size, max_align);
    let mut flat = vec![Flat::I32];
    flat.extend(joined);
    (
        payload_offset,
        Layout {
            size,
            align: max_align,
            flat,
        },
    )
}

/// Flags: one bit each, in the smallest of 1, 2 or 4 bytes (the spec allows at most 32 flags).
pub fn flags(count: usize) -> Layout {
    match count {
        0 => Layout {
            size: 0,
            align: 1,
            flat: vec![],
        },
        1..=8 => Layout {
            size: 1,
            align: 1,
            flat: vec![Flat::I32],
        },
        9..=16 => Layout {
            size: 2,
            align: 2,
            flat: vec![Flat::I32],
        },
        _ => Layout {
            size: 4 * count.div_ceil(32) as u32,
            align: 4,
            flat: vec![Flat::I32; count.div_ceil(32)],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(size: u32, flat: Flat) -> Layout {
        Layout::scalar(size, flat)
    }

    #[test]
    fn records_align_each_field_and_round_the_size_up() {
        // record { a: u8, b: u64, c: u16 }: b at 8, c at 16, size 24, align 8.
        let (offsets, layout) = sequence(&[&s(1, Flat::I32), &s(8, Flat::I64), &s(2, Flat::I32)]);
        assert_eq!(offsets, vec![0, 8, 16]);
        assert_eq!((layout.size, layout.align), (24, 8));
        assert_eq!(layout.flat, vec![Flat::I32, Flat::I64, Flat::I32]);
        let (offsets, empty) = sequence(&[]);
        assert!(offsets.is_empty());
        assert_eq!((empty.size, empty.align), (0, 1));
    }

    #[test]
    fn fixed_lists_repeat_the_element_in_place_and_cut_a_long_flat_form() {
        // list<tuple<u16, u8>, 3>: stride 4, no pointer; six flat values.
        let (_, pair) = sequence(&[&s(2, Flat::I32), &s(1, Flat::I32)]);
        let list = fixed_list(&pair, 3);
        assert_eq!((list.size, list.align), (12, 2));
        assert_eq!(list.flat, vec![Flat::I32; 6]);
        // list<u64, 2^30>: 8 GiB saturates to u32::MAX; the flat form is long enough to spill.
        let huge = fixed_list(&s(8, Flat::I64), 1 << 30);
        assert_eq!(huge.size, u32::MAX);
        assert_eq!(huge.flat.len(), MAX_FLAT_PARAMS + 1);
    }

    #[test]
    fn variants_join_case_flat_types_position_by_position() {
        // variant { a(f32), b(u64), c(tuple<f32, f32>), d } as in the spec's flat-mix example.
        let f32_ = s(4, Flat::F32);
        let u64_ = s(8, Flat::I64);
        let (_, pair) = sequence(&[&f32_, &f32_]);
        let (payload, layout) = variant(&[Some(&f32_), Some(&u64_), Some(&pair), None]);
        assert_eq!(payload, 8);
        assert_eq!((layout.size, layout.align), (16, 8));
        assert_eq!(layout.flat, vec![Flat::I32, Flat::I64, Flat::F32]);
        assert_eq!(Flat::I32.join(Flat::F32), Flat::I32);
        assert_eq!(Flat::F32.join(Flat::F64), Flat::I64);
        // option<u8>: discriminant byte then the payload byte.
        let (payload, option) = variant(&[None, Some(&s(1, Flat::I32))]);
        assert_eq!((payload, option.size, option.align), (1, 2, 1));
    }

    #[test]
    fn discriminants_and_flags_take_the_smallest_width() {
        assert_eq!(discriminant_size(2), 1);
        assert_eq!(discriminant_size(256), 1);
        assert_eq!(discriminant_size(257), 2);
        assert_eq!(discriminant_size(65537), 4);
        assert_eq!(flags(8).size, 1);
        assert_eq!(flags(9).size, 2);
        assert_eq!((flags(32).size, flags(32).flat.len()), (4, 1));
        assert_eq!(align_to(5, 4), 8);
        assert_eq!(align_to(8, 4), 8);
    }
}
