//! The contents of a MemFS file: 1 MiB chunks, each allocated when first written.
//!
//! One `Vec<u8>` for the whole file copied everything on each doubling, and in a browser or a
//! VM each copy lands on fresh pages: writing 64 MiB touched twice that. Chunks never move, so
//! growing a file only adds chunks. They are kept sorted by index (a vector searched by halves:
//! a map type of its own cost the engine 3 KB), so a file with holes costs only what was
//! written: a write at 5 GiB allocates one chunk, not 5 GiB.
//!
//! A chunk holds a prefix of its 1 MiB (so a small file stays small); the rest of it, and any
//! chunk that is absent, reads as zeros. Once a chunk passes 64 KiB it takes its full size at
//! once: growing it by doubling copied, and each allocation can grow the engine's memory, which
//! is slow (a fresh `memory.grow` per 64 KiB cost 50 µs each). Shrinking cuts chunks back, so bytes beyond the end always read as zeros when the
//! file grows again.
//!
//! [`FileData::held`] is what the chunks hold (their capacity, whether written or zero-filled,
//! plus the chunk table), which MemFS counts against `limits.memory`; [`FileData::write_cost`]
//! says beforehand how much a write would add, so a write past the limit allocates nothing.
use crate::errno::{Errno, Result};

const CHUNK: u64 = 1 << 20;
/// A chunk grows by doubling up to this size, then to its full size.
const SMALL: usize = 64 * 1024;

/// What one entry of the chunk table costs (index and vector header).
const TABLE_ENTRY: u64 = std::mem::size_of::<(u64, Vec<u8>)>() as u64;

#[derive(Debug, Default)]
pub struct FileData {
    len: u64,
    /// (chunk index, its bytes), sorted by index; absent chunks read as zeros.
    chunks: Vec<(u64, Vec<u8>)>,
    /// Bytes allocated for the data: every chunk's capacity plus the table's.
    held: u64,
}

impl FileData {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes allocated for this file's data (a one-byte write into a chunk's far end holds all
    /// of the chunk up to it).
    pub fn held(&self) -> u64 {
        self.held
    }

    /// How many bytes writing `len` bytes at `offset` would add to [`held`](Self::held): the
    /// growth of every chunk it touches, as `write` will grow them.
    pub fn write_cost(&self, offset: u64, len: u64) -> u64 {
        let Some(last) = len.checked_sub(1).and_then(|n| offset.checked_add(n)) else {
            return 0;
        };
        let mut cost = 0;
        for index in offset / CHUNK..=last / CHUNK {
            let capacity = self.chunk(index).map_or(0, |chunk| chunk.capacity());
            let end_within = if index == last / CHUNK {
                (last % CHUNK) as usize + 1
            } else {
                CHUNK as usize
            };
            if self.chunk(index).is_none() {
                cost += TABLE_ENTRY;
            }
            cost += (grown_capacity(capacity, end_within) - capacity) as u64;
        }
        cost
    }

    /// Copies bytes from `offset` into `buf`; returns how many (fewer at the end of the file).
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> usize {
        if offset >= self.len {
            return 0;
        }
        let n = (buf.len() as u64).min(self.len - offset) as usize;
        let mut done = 0;
        while done < n {
            let pos = offset + done as u64;
            let (index, within) = (pos / CHUNK, (pos % CHUNK) as usize);
            let take = (n - done).min(CHUNK as usize - within);
            let out = &mut buf[done..done + take];
            let stored = self
                .chunk(index)
                .map_or(&[][..], |chunk| chunk.get(within..).unwrap_or(&[]));
            let copied = stored.len().min(take);
            out[..copied].copy_from_slice(&stored[..copied]);
            out[copied..].fill(0);
            done += take;
        }
        n
    }

    /// Writes `bytes` at `offset`, growing the file; a hole before `offset` reads as zeros. The
    /// caller has checked the end against the size limit. Allocation failure is `ENOSPC`, and
    /// leaves the length unchanged (chunks already filled keep their new bytes, as a short
    /// write would).
    pub fn write(&mut self, offset: u64, bytes: &[u8]) -> Result<()> {
        if bytes.is_empty() {
            return Ok(()); // writing nothing at the end does not extend the file
        }
        let mut done = 0;
        while done < bytes.len() {
            let pos = offset + done as u64;
            let (index, within) = (pos / CHUNK, (pos % CHUNK) as usize);
            let take = (bytes.len() - done).min(CHUNK as usize - within);
            let chunk = self.chunk_mut(index)?;
            let capacity = chunk.capacity();
            let piece = &bytes[done..done + take];
            let reserved = reserve(chunk, within + take);
            if reserved.is_ok() {
                if chunk.len() < within {
                    chunk.resize(within, 0); // a hole inside the chunk
                }
                // Overwrite what the chunk holds, append the rest (no zero-fill first).
                let overlap = (chunk.len() - within).min(take);
                chunk[within..within + overlap].copy_from_slice(&piece[..overlap]);
                chunk.extend_from_slice(&piece[overlap..]);
            }
            let grown = (chunk.capacity() - capacity) as u64;
            self.held += grown;
            reserved?;
            done += take;
        }
        self.len = self.len.max(offset + bytes.len() as u64);
        Ok(())
    }

    /// Truncates or extends (with zeros, allocating nothing) to `len` bytes.
    pub fn set_len(&mut self, len: u64) {
        if len < self.len {
            // Drop whole chunks past the end, then cut the last one back.
            let first_gone = len.div_ceil(CHUNK);
            let kept = self
                .chunks
                .partition_point(|(index, _)| *index < first_gone);
            for (_, chunk) in self.chunks.drain(kept..) {
                self.held -= chunk.capacity() as u64 + TABLE_ENTRY;
            }
            if let Some(last) = len.checked_sub(1).map(|last_byte| last_byte / CHUNK) {
                if let Some((_, chunk)) = self.chunks.last_mut().filter(|(index, _)| *index == last)
                {
                    let keep = (len - last * CHUNK) as usize;
                    if chunk.len() > keep {
                        let capacity = chunk.capacity();
                        chunk.truncate(keep);
                        chunk.shrink_to_fit();
                        self.held -= (capacity - chunk.capacity()) as u64;
                    }
                }
            }
        }
        self.len = len;
    }

    fn chunk(&self, index: u64) -> Option<&Vec<u8>> {
        let at = self.chunks.binary_search_by_key(&index, |(i, _)| *i).ok()?;
        Some(&self.chunks[at].1)
    }

    /// The chunk `index`, created empty if absent.
    fn chunk_mut(&mut self, index: u64) -> Result<&mut Vec<u8>> {
        let at = match self.chunks.binary_search_by_key(&index, |(i, _)| *i) {
            Ok(at) => at,
            Err(at) => {
                self.chunks.try_reserve(1).map_err(|_| Errno::NoSpc)?;
                self.chunks.insert(at, (index, Vec::new()));
                self.held += TABLE_ENTRY;
                at
            }
        };
        Ok(&mut self.chunks[at].1)
    }
}

/// Makes room for `chunk` to hold `len` bytes: doubling while small, then its full size.
fn reserve(chunk: &mut Vec<u8>, len: usize) -> Result<()> {
    let target = grown_capacity(chunk.capacity(), len);
    if target == chunk.capacity() {
        return Ok(());
    }
    // `try_reserve_exact` gives a Vec<u8> exactly this capacity, which `write_cost` relies on.
    chunk
        .try_reserve_exact(target - chunk.len())
        .map_err(|_| Errno::NoSpc)
}

/// The capacity a chunk of `capacity` takes to hold `len` bytes (`reserve`'s rule).
fn grown_capacity(capacity: usize, len: usize) -> usize {
    if len <= capacity {
        capacity
    } else if len > SMALL {
        CHUNK as usize
    } else {
        len.max(2 * capacity).min(SMALL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(data: &FileData) -> Vec<u8> {
        let mut out = vec![0xaa; data.len() as usize];
        assert_eq!(data.read(0, &mut out), out.len());
        out
    }

    #[test]
    fn writes_across_chunks_read_back_with_holes_as_zeros() {
        let mut data = FileData::default();
        let c = CHUNK as usize;
        data.write(CHUNK - 2, b"abcd").unwrap();
        assert_eq!(data.len(), CHUNK + 2);
        let all = contents(&data);
        assert!(all[..c - 2].iter().all(|&b| b == 0));
        assert_eq!(&all[c - 2..], b"abcd");
        data.write(3 * CHUNK + 1, b"z").unwrap();
        assert_eq!(data.chunks.len(), 3, "the chunk in between is a hole");
        let mut buf = [0xaa; 6];
        assert_eq!(
            data.read(3 * CHUNK - 2, &mut buf),
            4,
            "stops at the end of the file"
        );
        assert_eq!(&buf[..4], b"\0\0\0z");
        assert_eq!(data.read(data.len(), &mut buf), 0);
    }

    #[test]
    fn shrinking_then_growing_reads_zeros_where_data_was() {
        let mut data = FileData::default();
        data.write(0, &vec![7u8; 2 * CHUNK as usize + 10]).unwrap();
        data.set_len(CHUNK + 5);
        assert_eq!(data.chunks.len(), 2);
        data.set_len(3 * CHUNK);
        let all = contents(&data);
        assert!(all[..CHUNK as usize + 5].iter().all(|&b| b == 7));
        assert!(
            all[CHUNK as usize + 5..].iter().all(|&b| b == 0),
            "no old bytes come back"
        );
        data.set_len(0);
        assert!(data.chunks.is_empty());
        data.set_len(4);
        assert_eq!(contents(&data), [0; 4]);
    }

    #[test]
    fn a_byte_at_a_chunk_end_holds_the_whole_chunk() {
        let mut data = FileData::default();
        assert_eq!(data.write_cost(CHUNK - 1, 1), CHUNK + TABLE_ENTRY);
        assert_eq!(data.write_cost(0, 0), 0);
        assert_eq!(
            data.write_cost(u64::MAX, 1),
            CHUNK + TABLE_ENTRY,
            "no overflow at the end"
        );
        data.write(CHUNK - 1, b"x").unwrap();
        assert_eq!(
            data.held(),
            CHUNK + TABLE_ENTRY,
            "a sparse write counts as allocated"
        );
        assert_eq!(data.write_cost(0, CHUNK), 0, "the chunk is already whole");
        assert_eq!(data.write_cost(CHUNK, 10), TABLE_ENTRY + 10);
        data.set_len(0);
        assert_eq!(data.held(), 0);
    }

    #[test]
    fn a_far_write_allocates_one_chunk() {
        let mut data = FileData::default();
        data.write(5 << 30, b"cove").unwrap();
        assert_eq!(data.len(), (5 << 30) + 4);
        assert_eq!(data.chunks.len(), 1);
        let mut buf = [0xaa; 8];
        assert_eq!(data.read((5 << 30) - 4, &mut buf), 8);
        assert_eq!(&buf, b"\0\0\0\0cove");
    }

    /// Write or resize, at offsets around chunk boundaries and the doubling threshold.
    #[derive(Clone, Debug)]
    enum Op {
        Write(u64, Vec<u8>),
        SetLen(u64),
    }

    use proptest::prelude::*;

    fn near_boundaries() -> impl Strategy<Value = u64> {
        (
            0u64..4,
            prop_oneof![Just(0u64), Just(SMALL as u64), 0..CHUNK],
            -3i64..3,
        )
            .prop_map(|(chunk, within, nudge)| {
                (chunk * CHUNK + within).saturating_add_signed(nudge)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn matches_a_plain_vector(ops in proptest::collection::vec(
            prop_oneof![
                (near_boundaries(), proptest::collection::vec(proptest::num::u8::ANY, 0..300)).prop_map(|(at, bytes)| Op::Write(at, bytes)),
                near_boundaries().prop_map(Op::SetLen),
            ],
            1..24,
        )) {
            let mut data = FileData::default();
            let mut model: Vec<u8> = Vec::new();
            for op in ops {
                match op {
                    Op::Write(at, bytes) => {
                        let (before, cost) = (data.held(), data.write_cost(at, bytes.len() as u64));
                        data.write(at, &bytes).unwrap();
                        prop_assert_eq!(data.held(), before + cost, "write_cost foretold the growth");
                        if !bytes.is_empty() {
                            let end = at as usize + bytes.len();
                            if model.len() < end {
                                model.resize(end, 0);
                            }
                            model[at as usize..end].copy_from_slice(&bytes);
                        }
                    }
                    Op::SetLen(len) => {
                        data.set_len(len);
                        model.resize(len as usize, 0);
                    }
                }
                prop_assert_eq!(data.len(), model.len() as u64);
                let recount: u64 = data.chunks.iter().map(|(_, c)| c.capacity() as u64 + TABLE_ENTRY).sum();
                prop_assert_eq!(data.held(), recount);
            }
            prop_assert!(contents(&data) == model);
        }
    }
}
