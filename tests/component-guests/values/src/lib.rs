//! The `values` test component (world `test:values/values`, ../wit/values.wit): every
//! component-model type passed both ways, resources in both directions, bare functions.
//! Exported `roundtrip` functions return their argument, or, after `set-relay(true)`, what the
//! imported `roundtrip` function of the same name returns for it.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

wit_bindgen::generate!({
    world: "values",
    path: "../wit",
    generate_all,
});

use exports::test::values::resources::{Accumulator, AccumulatorBorrow, GuestAccumulator};
use test::values::host_resources::Counter;
use test::values::roundtrip as host;
use test::values::types::*;

static RELAY: AtomicBool = AtomicBool::new(false);
static LIVE_ACCUMULATORS: AtomicU32 = AtomicU32::new(0);

fn relay() -> bool {
    RELAY.load(Ordering::Relaxed)
}

struct Component;

/// `$name(x: $t) -> $t`: `x` itself, or the host's answer for it when relaying.
macro_rules! echo {
    ($($name:ident: $t:ty => |$x:ident| $call:expr;)*) => {
        $(fn $name($x: $t) -> $t { if relay() { $call } else { $x } })*
    };
}

impl exports::test::values::roundtrip::Guest for Component {
    echo! {
        echo_bool: bool => |x| host::echo_bool(x);
        echo_u8: u8 => |x| host::echo_u8(x);
        echo_s8: i8 => |x| host::echo_s8(x);
        echo_u16: u16 => |x| host::echo_u16(x);
        echo_s16: i16 => |x| host::echo_s16(x);
        echo_u32: u32 => |x| host::echo_u32(x);
        echo_s32: i32 => |x| host::echo_s32(x);
        echo_u64: u64 => |x| host::echo_u64(x);
        echo_s64: i64 => |x| host::echo_s64(x);
        echo_f32: f32 => |x| host::echo_f32(x);
        echo_f64: f64 => |x| host::echo_f64(x);
        echo_char: char => |x| host::echo_char(x);
        echo_string: String => |x| host::echo_string(&x);
        echo_list_u8: Vec<u8> => |x| host::echo_list_u8(&x);
        echo_list_s8: Vec<i8> => |x| host::echo_list_s8(&x);
        echo_list_u16: Vec<u16> => |x| host::echo_list_u16(&x);
        echo_list_s16: Vec<i16> => |x| host::echo_list_s16(&x);
        echo_list_u32: Vec<u32> => |x| host::echo_list_u32(&x);
        echo_list_s32: Vec<i32> => |x| host::echo_list_s32(&x);
        echo_list_u64: Vec<u64> => |x| host::echo_list_u64(&x);
        echo_list_s64: Vec<i64> => |x| host::echo_list_s64(&x);
        echo_list_f32: Vec<f32> => |x| host::echo_list_f32(&x);
        echo_list_f64: Vec<f64> => |x| host::echo_list_f64(&x);
        echo_list_bool: Vec<bool> => |x| host::echo_list_bool(&x);
        echo_list_char: Vec<char> => |x| host::echo_list_char(&x);
        echo_list_string: Vec<String> => |x| host::echo_list_string(&x);
        echo_list_point: Vec<Point> => |x| host::echo_list_point(&x);
        echo_list_tuple: Vec<(u8, String)> => |x| host::echo_list_tuple(&x);
        echo_list_option: Vec<Option<u32>> => |x| host::echo_list_option(&x);
        echo_list_list: Vec<Vec<u16>> => |x| host::echo_list_list(&x);
        echo_point: Point => |x| host::echo_point(x);
        echo_person: Person => |x| host::echo_person(&x);
        echo_wide: Wide => |x| host::echo_wide(&x);
        echo_tuple: (u8, i64, String, f32) => |x| host::echo_tuple((x.0, x.1, &x.2, x.3));
        echo_shape: Shape => |x| host::echo_shape(x);
        echo_color: Color => |x| host::echo_color(x);
        echo_perms: Perms => |x| host::echo_perms(x);
        echo_many: Many => |x| host::echo_many(x);
        echo_option_u32: Option<u32> => |x| host::echo_option_u32(x);
        echo_option_string: Option<String> => |x| host::echo_option_string(x.as_deref());
        echo_option_option: Option<Option<u32>> => |x| host::echo_option_option(x);
        echo_results: (Result<u32, String>, Result<(), ()>, Result<(), Color>, Result<Point, ()>)
            => |x| host::echo_results((x.0.as_ref().map(|v| *v).map_err(|e| e.as_str()), x.1, x.2.as_ref().map(|_| ()), x.3.as_ref().map_err(|_| ())));
        echo_nodes: Vec<Node> => |x| host::echo_nodes(&x);
        fallible: Result<String, ErrorInfo> => |x| host::fallible(x.as_deref().map_err(|e| e));
        fallible_unit: Result<(), String> => |x| host::fallible_unit(x.as_ref().map(|_| ()).map_err(|e| e.as_str()));
    }

    #[allow(clippy::too_many_arguments)]
    fn echo_args(
        a: u8, b: i16, c: u32, d: i64, e: f32, f: f64, g: char, h: String, i: bool, j: Point,
        k: Vec<u8>, l: Option<u64>, m: Color, n: Perms,
    ) -> (u8, i16, u32, i64, f32, f64, char, String, bool, Point, Vec<u8>, Option<u64>, Color, Perms) {
        if relay() {
            host::echo_args(a, b, c, d, e, f, g, &h, i, j, &k, l, m, n)
        } else {
            (a, b, c, d, e, f, g, h, i, j, k, l, m, n)
        }
    }
}

/// The guest's accumulator: LIVE_ACCUMULATORS counts those not yet dropped.
struct MyAccumulator {
    total: Cell<i64>,
}

impl MyAccumulator {
    fn starting_at(start: i64) -> Self {
        LIVE_ACCUMULATORS.fetch_add(1, Ordering::Relaxed);
        MyAccumulator { total: Cell::new(start) }
    }
}

impl Drop for MyAccumulator {
    fn drop(&mut self) {
        LIVE_ACCUMULATORS.fetch_sub(1, Ordering::Relaxed);
    }
}

impl GuestAccumulator for MyAccumulator {
    fn new(start: i64) -> Self {
        MyAccumulator::starting_at(start)
    }
    fn add(&self, x: i64) {
        self.total.set(self.total.get().wrapping_add(x));
    }
    fn total(&self) -> i64 {
        self.total.get()
    }
    fn merge(a: AccumulatorBorrow<'_>, b: AccumulatorBorrow<'_>) -> Accumulator {
        let sum = a.get::<MyAccumulator>().total().wrapping_add(b.get::<MyAccumulator>().total());
        Accumulator::new(MyAccumulator::starting_at(sum))
    }
}

impl exports::test::values::resources::Guest for Component {
    type Accumulator = MyAccumulator;

    fn live_accumulators() -> u32 {
        LIVE_ACCUMULATORS.load(Ordering::Relaxed)
    }
    fn consume(a: Accumulator) -> i64 {
        a.get::<MyAccumulator>().total()
    }
    fn peek(a: AccumulatorBorrow<'_>) -> i64 {
        a.get::<MyAccumulator>().total()
    }
    fn bump_counter(c: &Counter, times: u32) -> u32 {
        for _ in 0..times {
            c.bump(1);
        }
        c.get()
    }
    fn make_counter(start: u32) -> Counter {
        Counter::new(start)
    }
    fn take_counter(c: Counter) -> u32 {
        c.get()
    }
}

impl Guest for Component {
    fn set_relay(on: bool) {
        RELAY.store(on, Ordering::Relaxed);
    }
    fn greet(name: String) -> String {
        let greeting = format!("hello, {name}!");
        log(&greeting);
        greeting
    }
    fn tick_many(n: u32) {
        for _ in 0..n {
            tick();
        }
    }
}

export!(Component);
