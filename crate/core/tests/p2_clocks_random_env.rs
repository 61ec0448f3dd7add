//! wasi:clocks, wasi:random and wasi:cli/environment (p2) over guest memory: the same host model
//! as p1 (clocks, random, arguments, environment) and canonical-ABI faults as traps.
mod common;
use common::*;
use cove_core::host::StringList;
use cove_core::memory::GuestMemory;
use cove_core::p1;
use cove_core::p2;
use cove_core::policy::Policy;

/// The strings of a `list<string>` (ptr, len) in guest memory.
fn strings(g: &mut Guest, list: u32, count: u32, width: u32) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..count * width {
        let ptr = g.u32_at(list + i * 8);
        let len = g.u32_at(list + i * 8 + 4);
        out.push(String::from_utf8(g.bytes_at(ptr, len)).unwrap());
    }
    out
}

#[test]
fn clocks_are_the_contexts_clocks() {
    let mut g = Guest::new();
    g.host.borrow_mut().monotonic = 5;
    assert_eq!(
        p2::monotonic_clock_now(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap(),
        5
    );
    assert_eq!(
        p2::monotonic_clock_resolution(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap(),
        1_000
    );
    let out = g.alloc(16);
    p2::wall_clock_now(&mut g.ctx, &mut g.mem, &mut Bump::new(), out).unwrap();
    // The fake host's realtime is 1e12 ns past the epoch plus its monotonic reading.
    assert_eq!((g.u64_at(out), g.u32_at(out + 8)), (1_000, 5));
    p2::wall_clock_resolution(&mut g.ctx, &mut g.mem, &mut Bump::new(), out).unwrap();
    assert_eq!((g.u64_at(out), g.u32_at(out + 8)), (0, 1_000));

    let mut frozen =
        Guest::with(|c| c.policy = Policy::from_json(r#"{"clock":"frozen"}"#).unwrap());
    frozen.host.borrow_mut().monotonic = 99;
    assert_eq!(
        p2::monotonic_clock_now(&mut frozen.ctx, &mut frozen.mem, &mut Bump::new()).unwrap(),
        0,
        "a frozen clock, as p1 sees it"
    );
}

#[test]
fn a_bad_return_pointer_traps() {
    let mut g = Guest::new();
    let out = g.alloc(16);
    assert_eq!(
        p2::wall_clock_now(&mut g.ctx, &mut g.mem, &mut Bump::new(), out + 4),
        Err(trap("pointer not aligned"))
    );
    let end = MEMORY_SIZE as u32 - 8;
    assert_eq!(
        p2::wall_clock_now(&mut g.ctx, &mut g.mem, &mut Bump::new(), end),
        Err(trap("pointer out of bounds"))
    );
    assert_eq!(
        p2::wall_clock_now(&mut g.ctx, &mut g.mem, &mut Bump::new(), !7),
        Err(trap("pointer out of bounds"))
    );
}

#[test]
fn seeded_random_is_the_same_stream_as_p1() {
    let seeded =
        || Guest::with(|c| c.policy = Policy::from_json(r#"{"random":{"seed":7}}"#).unwrap());
    let mut a = seeded();
    let buf = a.alloc(40);
    common::errno(p1::random_get(&mut a.ctx, &mut a.mem, buf, 40)).unwrap();
    let from_p1 = a.bytes_at(buf, 40);

    let mut b = seeded();
    let out = b.alloc(8);
    let mut bump = Bump::new();
    p2::random_get_random_bytes(&mut b.ctx, &mut b.mem, &mut bump, 32, out).unwrap();
    let (ptr, len) = (b.u32_at(out), b.u32_at(out + 4));
    assert_eq!(len, 32);
    assert_eq!(bump.calls, [(1, 32)]);
    assert_eq!(b.bytes_at(ptr, len), from_p1[..32]);
    assert_eq!(
        p2::insecure_get_insecure_random_u64(&mut b.ctx, &mut b.mem, &mut Bump::new())
            .unwrap()
            .to_le_bytes(),
        from_p1[32..40]
    );

    let seed = b.alloc(16);
    p2::insecure_seed_insecure_seed(&mut b.ctx, &mut b.mem, &mut Bump::new(), seed).unwrap();
    let first = (b.u64_at(seed), b.u64_at(seed + 8));
    p2::insecure_seed_insecure_seed(&mut b.ctx, &mut b.mem, &mut Bump::new(), seed).unwrap();
    assert_eq!(
        (b.u64_at(seed), b.u64_at(seed + 8)),
        first,
        "the same seed on every call"
    );
}

#[test]
fn random_bytes_larger_than_a_piece_and_hostile_lengths() {
    let mut g = Guest::with(|c| c.policy = Policy::from_json(r#"{"random":{"seed":1}}"#).unwrap());
    let out = g.alloc(8);
    let mut bump = Bump {
        next: 0x2000,
        ..Bump::new()
    };
    p2::random_get_random_bytes(&mut g.ctx, &mut g.mem, &mut bump, 0xC000, out).unwrap();
    let ptr = g.u32_at(out);
    let bytes = g.bytes_at(ptr, 0xC000);
    assert!(
        bytes[0x8000..].iter().any(|&b| b != 0),
        "the second piece is filled too"
    );

    let mut bump = Bump::new();
    assert_eq!(
        p2::random_get_random_bytes(&mut g.ctx, &mut g.mem, &mut bump, 1 << 40, out),
        Err(trap("list too long"))
    );
    assert!(
        bump.calls.is_empty(),
        "nothing allocated for a length that cannot be a list"
    );
    assert_eq!(
        p2::random_get_random_bytes(&mut g.ctx, &mut g.mem, &mut bump, 1 << 20, out),
        Err(trap("realloc return: beyond end of memory"))
    );
    let mut odd = Bump {
        answer: Some(0x9001),
        ..Bump::new()
    };
    assert_eq!(
        p2::environment_get_arguments(&mut g.ctx, &mut g.mem, &mut odd, out),
        Err(trap("realloc return: result not aligned"))
    );
}

#[test]
fn arguments_and_environment_are_p1s() {
    let mut g = Guest::with(|c| {
        c.args = StringList::from_pairs([("prog", "a b"), ("", "ünï")]);
        c.env = StringList::from_pairs([("HOME", "/home/x"), ("EMPTY", ""), ("EQ", "a=b")]);
        c.policy = Policy::from_json(r#"{"env":{"set":{"ADDED":"1"}}}"#).unwrap();
    });
    let out = g.alloc(8);
    let mut bump = Bump::new();
    p2::environment_get_arguments(&mut g.ctx, &mut g.mem, &mut bump, out).unwrap();
    let (list, count) = (g.u32_at(out), g.u32_at(out + 4));
    assert_eq!(strings(&mut g, list, count, 1), ["prog", "a b", "", "ünï"]);
    assert_eq!(
        bump.calls[0],
        (4, 32),
        "the element array first: 4 × (ptr, len)"
    );

    p2::environment_get_environment(&mut g.ctx, &mut g.mem, &mut bump, out).unwrap();
    let (list, count) = (g.u32_at(out), g.u32_at(out + 4));
    assert_eq!(count, 4);
    assert_eq!(
        strings(&mut g, list, count, 2),
        ["HOME", "/home/x", "EMPTY", "", "EQ", "a=b", "ADDED", "1"]
    );

    let cwd = g.alloc(12);
    g.mem.write(cwd, &[1]).unwrap();
    p2::environment_initial_cwd(&mut g.ctx, &mut g.mem, &mut bump, cwd).unwrap();
    assert_eq!(g.bytes_at(cwd, 1), [0], "none");
}
