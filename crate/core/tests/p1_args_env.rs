//! args_* / environ_*: byte counts are UTF-8 bytes; env comes from explicit vars, the
//! policy's allow-list over the host environment, and the policy's `set`.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::host::{Config, Ctx, StringList};
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
    let mut g = Guest::with(|c| c.args = ["prog", "héllo", "日本"].into_iter().collect());
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
    let mut g = Guest::with(|c| c.args = ["prog", "x"].into_iter().collect());
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
        c.env = StringList::from_pairs([("A", "explicit"), ("B", "2")]);
        c.host_env = StringList::from_pairs([("LANG", "C"), ("SECRET", "x")]);
        c.policy = policy;
    });
    assert_eq!(env(&mut g), ["A=policy", "B=2", "LANG=C", "HOME=/data"]);
}

#[test]
fn a_large_environment_keeps_order_and_the_last_value_of_each_name() {
    // 3,000 definitions of 2,000 names: every name is looked up among many (hash collisions
    // included), and a redefinition keeps the first position with the last value.
    let policy = Policy::from_json(r#"{"env":{"allow":["*"]}}"#).unwrap();
    let mut g = Guest::with(|c| {
        c.env = StringList::from_pairs((0..2000).map(|i| (format!("V{i}"), "explicit")));
        c.host_env = StringList::from_pairs(
            (0..2000)
                .step_by(2)
                .map(|i| (format!("V{i}"), format!("host{i}"))),
        );
        c.policy = policy;
    });
    let vars = env(&mut g);
    assert_eq!(vars.len(), 2000);
    for (i, var) in vars.iter().enumerate() {
        let want = if i % 2 == 0 {
            format!("V{i}=host{i}")
        } else {
            format!("V{i}=explicit")
        };
        assert_eq!(var, &want);
    }
}

#[test]
fn env_allow_star_passes_the_host_environment() {
    let policy = Policy::from_json(r#"{"env":{"allow":["*"]}}"#).unwrap();
    let mut g = Guest::with(|c| {
        c.host_env = StringList::from_pairs([("X", "é")]);
        c.policy = policy;
    });
    assert_eq!(env(&mut g), ["X=é"]);
}

#[test]
fn no_env_by_default() {
    let mut g = Guest::with(|c| c.host_env = StringList::from_pairs([("PATH", "/bin")]));
    assert!(env(&mut g).is_empty());
}

#[test]
fn config_that_a_c_string_cannot_carry_is_refused() {
    let bad_arg = Config {
        args: ["a\0b"].into_iter().collect(),
        ..Config::default()
    };
    let host = Box::new(FakeHost(Default::default()));
    assert!(Ctx::new(bad_arg, host).err().unwrap().contains("NUL"));
    let bad_env = Config {
        env: StringList::from_pairs([("A=B", "1")]),
        ..Config::default()
    };
    let host = Box::new(FakeHost(Default::default()));
    assert!(Ctx::new(bad_env, host).err().unwrap().contains("\"A=B\""));
    for env in [
        StringList::from_pairs([("A", "x\0y")]),
        StringList::from_packed(b"A\0".to_vec(), 2),
    ] {
        let config = Config {
            env,
            ..Config::default()
        };
        let host = Box::new(FakeHost(Default::default()));
        assert!(Ctx::new(config, host).err().unwrap().contains("NUL"));
    }
}
