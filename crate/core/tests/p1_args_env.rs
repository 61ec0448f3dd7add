//! args_* / environ_*: byte counts are UTF-8 bytes; env comes from explicit vars, the
//! policy's allow-list over the host environment, and the policy's `set`.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::host::{Config, Ctx};
use cove_core::p1;
use cove_core::policy::Policy;

fn strings(
    g: &mut Guest,
    sizes: fn(&mut Ctx, &mut cove_core::memory::VecMemory, u32, u32) -> u32,
    get: fn(&mut Ctx, &mut cove_core::memory::VecMemory, u32, u32) -> u32,
) -> Vec<String> {
    let (count, size) = (g.alloc(4), g.alloc(4));
    errno(sizes(&mut g.ctx, &mut g.mem, count, size)).unwrap();
    let (count, size) = (g.u32_at(count), g.u32_at(size));
    let ptrs = g.alloc(count * 4);
    let buf = g.alloc(size);
    errno(get(&mut g.ctx, &mut g.mem, ptrs, buf)).unwrap();
    let packed = g.bytes_at(buf, size);
    assert_eq!(
        packed.iter().filter(|&&b| b == 0).count() as u32,
        count,
        "one NUL per string"
    );
    (0..count)
        .map(|i| {
            let start = (g.u32_at(ptrs + i * 4) - buf) as usize;
            let end = start + packed[start..].iter().position(|&b| b == 0).unwrap();
            String::from_utf8(packed[start..end].to_vec()).unwrap()
        })
        .collect()
}

fn args(g: &mut Guest) -> Vec<String> {
    strings(g, p1::args_sizes_get, p1::args_get)
}

fn env(g: &mut Guest) -> Vec<String> {
    strings(g, p1::environ_sizes_get, p1::environ_get)
}

#[test]
fn non_ascii_args_are_counted_in_utf8_bytes() {
    let mut g = Guest::with(|c| c.args = vec![b"prog".to_vec(), "héllo".into(), "日本".into()]);
    let (count, size) = (g.alloc(4), g.alloc(4));
    errno(p1::args_sizes_get(&mut g.ctx, &mut g.mem, count, size)).unwrap();
    assert_eq!(g.u32_at(count), 3);
    assert_eq!(
        g.u32_at(size),
        5 + 7 + 7,
        "UTF-8 bytes plus NULs, not UTF-16 units"
    );
    assert_eq!(args(&mut g), ["prog", "héllo", "日本"]);
}

#[test]
fn args_buffer_out_of_range_is_efault_and_writes_nothing() {
    let mut g = Guest::with(|c| c.args = vec![b"prog".to_vec(), b"x".to_vec()]);
    let ptrs = g.alloc(8);
    let last = (MEMORY_SIZE - 3) as u32;
    assert_eq!(
        errno(p1::args_get(&mut g.ctx, &mut g.mem, ptrs, last)),
        Err(Errno::Fault)
    );
    assert_eq!(g.u64_at(ptrs), 0, "pointer table untouched");
}

#[test]
fn env_combines_explicit_allowed_host_and_policy_set() {
    let policy =
        Policy::from_json(r#"{"env":{"allow":["LANG"],"set":{"HOME":"/data","A":"policy"}}}"#)
            .unwrap();
    let mut g = Guest::with(|c| {
        c.env = vec![
            (b"A".to_vec(), b"explicit".to_vec()),
            (b"B".to_vec(), b"2".to_vec()),
        ];
        c.host_env = vec![
            (b"LANG".to_vec(), b"C".to_vec()),
            (b"SECRET".to_vec(), b"x".to_vec()),
        ];
        c.policy = policy;
    });
    assert_eq!(env(&mut g), ["A=policy", "B=2", "LANG=C", "HOME=/data"]);
}

#[test]
fn env_allow_star_passes_the_host_environment() {
    let policy = Policy::from_json(r#"{"env":{"allow":["*"]}}"#).unwrap();
    let mut g = Guest::with(|c| {
        c.host_env = vec![(b"X".to_vec(), "é".into())];
        c.policy = policy;
    });
    assert_eq!(env(&mut g), ["X=é"]);
}

#[test]
fn no_env_by_default() {
    let mut g = Guest::with(|c| c.host_env = vec![(b"PATH".to_vec(), b"/bin".to_vec())]);
    assert!(env(&mut g).is_empty());
}

#[test]
fn config_that_a_c_string_cannot_carry_is_refused() {
    let bad_arg = Config {
        args: vec![b"a\0b".to_vec()],
        ..Config::default()
    };
    let host = Box::new(FakeHost(Default::default()));
    assert!(Ctx::new(bad_arg, host).err().unwrap().contains("NUL"));
    let bad_env = Config {
        env: vec![(b"A=B".to_vec(), b"1".to_vec())],
        ..Config::default()
    };
    let host = Box::new(FakeHost(Default::default()));
    assert!(Ctx::new(bad_env, host).is_err());
}
