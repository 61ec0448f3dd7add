//! Trampolines as JS source (docs/components.md, "Lifting and lowering"): for each signature,
//! the lift direction (JS calls a core export) and the lower direction (core code calls a
//! component function), specialised to that signature. Scalars are converted inline, strings
//! and everything else go through the runtime helpers `rt.*` of js/src/component/table-driven.js
//! (the same code as the table-driven path, so both paths agree value for value). JS compiles
//! each source once per compiled component with `new Function("rt", source)`.
//!
//! A lift trampoline is `(cx, core, postReturn) => function lifted(a0, …)`; a lower trampoline is
//! `(cx, callee) => function lowered(c0, …)`. `cx` is the call context (types, memory, realloc,
//! encoding, instance).

use std::fmt::Write;

use crate::types::{Kind, Signature, TypeTable};

/// Whether values of type `t` (or inside it) are resource handles (a call then needs a borrow
/// scope and lend tracking).
fn has_handles(table: &TypeTable, t: usize) -> bool {
    match &table.types[t].kind {
        Kind::Handle { .. } => true,
        Kind::Primitive(_) | Kind::Enum(_) | Kind::Flags(_) | Kind::Unsupported(_) => false,
        Kind::List { element, .. } => has_handles(table, *element),
        Kind::Map(entry) => has_handles(table, *entry),
        Kind::Record(fields) => fields.iter().any(|(_, t, _)| has_handles(table, *t)),
        Kind::Tuple(items) => items.iter().any(|(t, _)| has_handles(table, *t)),
        Kind::Variant { cases, .. } => cases
            .iter()
            .any(|(_, t)| t.is_some_and(|t| has_handles(table, t))),
    }
}

fn is_string(table: &TypeTable, t: usize) -> bool {
    matches!(table.types[t].kind, Kind::Primitive("string"))
}

fn scalar(table: &TypeTable, t: usize) -> Option<&'static str> {
    match table.types[t].kind {
        Kind::Primitive(p) if p != "string" => Some(p),
        _ => None,
    }
}

/// JS expression: the JS value of scalar `k` from core value `x`.
fn lift_scalar(k: &str, x: &str) -> String {
    match k {
        "bool" => format!("({x} !== 0)"),
        "u8" => format!("({x} & 255)"),
        "s8" => format!("(({x} << 24) >> 24)"),
        "u16" => format!("({x} & 65535)"),
        "s16" => format!("(({x} << 16) >> 16)"),
        "u32" => format!("({x} >>> 0)"),
        "s32" => format!("({x} | 0)"),
        "u64" => format!("BigInt.asUintN(64, {x})"),
        "s64" => format!("BigInt.asIntN(64, {x})"),
        "char" => format!("rt.liftChar({x})"),
        _ => x.to_string(), // f32, f64: JS numbers already; NaN is JS's one NaN
    }
}

/// JS expression: the core value of scalar `k` from JS value `v` (as rt.lowerScalar does).
fn lower_scalar(k: &str, v: &str) -> String {
    match k {
        "bool" => format!("({v} ? 1 : 0)"),
        "u64" | "s64" => format!(
            "BigInt.asIntN(64, typeof {v} === \"bigint\" ? {v} : rt.toBigInt({v}, \"{k}\"))"
        ),
        "f32" => {
            format!("Math.fround(typeof {v} === \"number\" ? {v} : rt.toNumber({v}, \"f32\"))")
        }
        "f64" => format!("(typeof {v} === \"number\" ? {v} : rt.toNumber({v}, \"f64\"))"),
        "char" => format!("rt.lowerChar({v})"),
        _ => format!("((typeof {v} === \"number\" ? {v} : rt.toNumber({v}, \"{k}\")) | 0)"),
    }
}

fn params_list(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{prefix}{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lift trampoline of `sig`: JS values in, core call, JS value out.
pub fn lift_source(table: &TypeTable, sig: &Signature) -> String {
    let handles = sig.params.iter().any(|(_, t)| has_handles(table, *t))
        || sig.result.is_some_and(|t| has_handles(table, t));
    let args = params_list("a", sig.params.len());
    let mut s = String::from(
        "return (cx, core, postReturn) => {\n  const T = cx.types, frame = cx.inst;\n",
    );
    let _ = writeln!(s, "  return function lifted({args}) {{");
    s.push_str("    if (!frame.mayEnter) rt.trap(\"cannot enter component instance\");\n");
    s.push_str("    frame.mayEnter = false;\n    frame.context[0] = 0; frame.context[1] = 0;\n");
    if handles {
        s.push_str("    const scope = cx.scope = { borrows: 0 };\n    cx.lent = [];\n");
    }
    s.push_str("    try {\n");
    // Parameters.
    let call_args;
    if sig.params_spill() {
        let _ = writeln!(
            s,
            "      const ptr = rt.allocate(cx, {}, {});",
            sig.params_layout.align, sig.params_layout.size
        );
        for (i, ((_, t), off)) in sig.params.iter().zip(&sig.param_offsets).enumerate() {
            let _ = writeln!(s, "      rt.store(cx, T[{t}], a{i}, ptr + {off});");
        }
        call_args = "ptr".to_string();
    } else if sig
        .params
        .iter()
        .all(|(_, t)| scalar(table, *t).is_some() || is_string(table, *t))
    {
        // Scalars inline; strings copied in first, in parameter order, as the table path does.
        let mut lowered = Vec::new();
        for (i, (_, t)) in sig.params.iter().enumerate() {
            match scalar(table, *t) {
                Some(k) => lowered.push(lower_scalar(k, &format!("a{i}"))),
                None => {
                    let _ = writeln!(s, "      const s{i} = rt.lowerString(cx, a{i});");
                    lowered.push(format!("s{i}[0], s{i}[1]"));
                }
            }
        }
        call_args = lowered.join(", ");
    } else {
        s.push_str("      const out = [];\n");
        for (i, (_, t)) in sig.params.iter().enumerate() {
            match scalar(table, *t) {
                Some(k) => {
                    let _ = writeln!(s, "      out.push({});", lower_scalar(k, &format!("a{i}")));
                }
                None => {
                    let _ = writeln!(s, "      rt.lowerFlat(cx, T[{t}], a{i}, out);");
                }
            }
        }
        call_args = "...out".to_string();
    }
    let _ = writeln!(s, "      const ret = core({call_args});");
    // Result.
    match sig.result {
        None => s.push_str("      const value = undefined;\n"),
        Some(t) if sig.results_spill() => {
            let _ = writeln!(
                s,
                "      rt.checkPointer(cx, ret >>> 0, T[{t}]);\n      const value = rt.load(cx, T[{t}], ret >>> 0);"
            );
        }
        Some(t) => match scalar(table, t) {
            Some(k) => {
                let _ = writeln!(s, "      const value = {};", lift_scalar(k, "ret"));
            }
            None => {
                let _ = writeln!(
                    s,
                    "      const value = rt.liftFlat(cx, T[{t}], new rt.FlatReader([ret]));"
                );
            }
        },
    }
    let post_args = if sig.result.is_some() { "ret" } else { "" };
    let _ = writeln!(
        s,
        "      if (postReturn) {{\n        frame.mayLeave = false;\n        try {{ postReturn({post_args}); }} finally {{ frame.mayLeave = true; }}\n      }}"
    );
    if handles {
        s.push_str("      if (scope.borrows !== 0) rt.trap(\"borrow handles still remain at the end of the call\");\n");
    }
    s.push_str(
        "      return value;\n    } finally {\n      frame.mayEnter = true;\n    }\n  };\n};\n",
    );
    s
}

/// The lower trampoline of `sig`: core values in, component function call, core value out.
pub fn lower_source(table: &TypeTable, sig: &Signature) -> String {
    let handles = sig.params.iter().any(|(_, t)| has_handles(table, *t))
        || sig.result.is_some_and(|t| has_handles(table, t));
    let core_params = if sig.params_spill() {
        1
    } else {
        sig.flat_params
    } + usize::from(sig.results_spill());
    let cparams = params_list("c", core_params);
    let mut s = String::from("return (cx, callee) => {\n  const T = cx.types, frame = cx.inst;\n");
    let _ = writeln!(s, "  return function lowered({cparams}) {{");
    s.push_str("    if (!frame.mayLeave) rt.trap(\"cannot leave component instance\");\n");
    if handles {
        s.push_str("    const lent = cx.lent = [];\n");
    }
    // Arguments.
    let mut args = Vec::new();
    if sig.params_spill() {
        let _ = writeln!(
            s,
            "    const ptr = c0 >>> 0;\n    rt.checkPointer(cx, ptr, {{ align: {}, size: {} }});",
            sig.params_layout.align, sig.params_layout.size
        );
        for (i, ((_, t), off)) in sig.params.iter().zip(&sig.param_offsets).enumerate() {
            let _ = writeln!(s, "    const x{i} = rt.load(cx, T[{t}], ptr + {off});");
            args.push(format!("x{i}"));
        }
    } else {
        let mut next = 0;
        for (i, (_, t)) in sig.params.iter().enumerate() {
            let n = table.types[*t].layout.flat.len();
            let expr = match scalar(table, *t) {
                Some(k) => lift_scalar(k, &format!("c{next}")),
                None if is_string(table, *t) => {
                    format!("rt.liftString(cx, c{next}, c{})", next + 1)
                }
                None => format!(
                    "rt.liftFlat(cx, T[{t}], new rt.FlatReader([{}]))",
                    (next..next + n)
                        .map(|j| format!("c{j}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let _ = writeln!(s, "    const x{i} = {expr};");
            args.push(format!("x{i}"));
            next += n;
        }
    }
    let call = format!("callee({})", args.join(", "));
    if handles {
        let _ = writeln!(
            s,
            "    let v;\n    try {{ v = {call}; }} finally {{ for (const e of lent) e.lends--; }}"
        );
    } else {
        let _ = writeln!(s, "    const v = {call};");
    }
    match sig.result {
        None => {}
        Some(t) if sig.results_spill() => {
            let _ = writeln!(
                s,
                "    const retptr = c{} >>> 0;\n    rt.checkPointer(cx, retptr, T[{t}]);\n    rt.store(cx, T[{t}], v, retptr);",
                core_params - 1
            );
        }
        Some(t) => match scalar(table, t) {
            Some(k) => {
                let _ = writeln!(s, "    return {};", lower_scalar(k, "v"));
            }
            None => {
                let _ = writeln!(
                    s,
                    "    const out = [];\n    rt.lowerFlat(cx, T[{t}], v, out);\n    return out[0];"
                );
            }
        },
    }
    s.push_str("  };\n};\n");
    s
}
