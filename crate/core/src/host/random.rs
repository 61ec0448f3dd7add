//! `random_get`'s source: the host's crypto random, or a seeded PRNG for reproducible runs.
use super::Host;
use crate::policy::RandomPolicy;

/// xoshiro256** seeded through splitmix64: fast, good statistical quality, deterministic.
/// (Not for secrets: a seeded policy asks for reproducibility, not secrecy.)
#[derive(Clone, Debug)]
pub struct Xoshiro256 {
    s: [u64; 4],
}

impl Xoshiro256 {
    pub fn seeded(seed: u64) -> Xoshiro256 {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Xoshiro256 {
            s: [next(), next(), next(), next()],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[derive(Clone, Debug)]
pub enum Random {
    Crypto,
    Seeded(Xoshiro256),
}

impl Random {
    pub fn new(mode: RandomPolicy) -> Random {
        match mode {
            RandomPolicy::Crypto => Random::Crypto,
            RandomPolicy::Seeded(seed) => Random::Seeded(Xoshiro256::seeded(seed)),
        }
    }

    pub fn fill(&mut self, buf: &mut [u8], host: &mut dyn Host) {
        match self {
            Random::Crypto => host.random_fill(buf),
            Random::Seeded(rng) => rng.fill(buf),
        }
    }
}

impl super::Ctx {
    /// Fills `buf` from the guest's random source (the host's crypto random, or the policy's
    /// seeded generator).
    #[inline]
    pub fn fill_random(&mut self, buf: &mut [u8]) {
        self.random.fill(buf, self.host.as_mut())
    }

    /// A 128-bit seed for the guest's own insecure generators: drawn from its random source on
    /// first use, then the same for the life of the context (wasi:random/insecure-seed).
    pub fn insecure_seed(&mut self) -> (u64, u64) {
        if let Some(seed) = self.insecure_seed {
            return seed;
        }
        let mut bytes = [0u8; 16];
        self.fill_random(&mut bytes);
        let [a, b] = [&bytes[..8], &bytes[8..]]
            .map(|half| u64::from_le_bytes(half.try_into().unwrap_or_default()));
        self.insecure_seed = Some((a, b));
        (a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_stream_is_fixed() {
        // Pinned so a seeded policy gives the same bytes in every Cove release.
        let mut a = Xoshiro256::seeded(42);
        let first = a.next_u64();
        assert_eq!(first, 0x1578_0b2e_0c2e_c716);
        assert_ne!(Xoshiro256::seeded(43).next_u64(), first);
        let mut buf = [0u8; 13];
        Xoshiro256::seeded(42).fill(&mut buf);
        assert_eq!(buf[..8], first.to_le_bytes());
    }
}
