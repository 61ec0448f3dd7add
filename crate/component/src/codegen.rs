//! Trampolines as JS source (docs/components.md, "Lifting and lowering"): for each signature,
//! the lift direction (JS calls a core export) and the lower direction (core code calls a
//! component function), specialised to that signature. Scalars, strings, records, tuples,
//! options, enums and lists of non-numbers are converted inline (struct `Inline`), variants and
//! results too when in memory; typed-array lists (one bulk copy), variants and results in flat
//! form (joined core types), flags, maps and handles call the runtime helpers
//! `rt.*` of js/src/component/table-driven.js, the table-driven path's own code, so both paths
//! agree value for value and error for error. JS compiles each source once per compiled
//! component with `new Function("rt", source)`.
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
        Kind::List { element, .. } | Kind::FixedList { element, .. } => {
            has_handles(table, *element)
        }
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
    let ind = "      ";
    let mut g = Inline::new(table);
    // Parameters, in order (each one's checks and realloc calls before the next one's).
    let call_args = if sig.params_spill() {
        g.line(
            ind,
            &format!(
                "const ptr = rt.allocate(cx, {}, {});",
                sig.params_layout.align, sig.params_layout.size
            ),
        );
        for (i, ((_, t), off)) in sig.params.iter().zip(&sig.param_offsets).enumerate() {
            g.store(ind, *t, &format!("a{i}"), &format!("ptr + {off}"));
        }
        "ptr".to_string()
    } else {
        let mut flat = Vec::new();
        for (i, (_, t)) in sig.params.iter().enumerate() {
            flat.extend(g.lower_flat(ind, *t, &format!("a{i}")));
        }
        flat.join(", ")
    };
    g.line(ind, &format!("const ret = core({call_args});"));
    // Result.
    let value = match sig.result {
        None => "undefined".to_string(),
        Some(t) if sig.results_spill() => {
            g.line(ind, &format!("rt.checkPointer(cx, ret >>> 0, T[{t}]);"));
            g.line(ind, "const dv = rt.view(cx);");
            g.load(ind, t, "(ret >>> 0)", "dv")
        }
        Some(t) => g.lift_flat(ind, t, &["ret".to_string()]),
    };
    s.push_str(&g.s);
    let post_args = if sig.result.is_some() { "ret" } else { "" };
    let _ = writeln!(
        s,
        "      if (postReturn) {{\n        frame.mayLeave = false;\n        try {{ postReturn({post_args}); }} finally {{ frame.mayLeave = true; }}\n      }}"
    );
    if handles {
        s.push_str("      if (scope.borrows !== 0) rt.trap(\"borrow handles still remain at the end of the call\");\n");
    }
    let _ = write!(
        s,
        "      return {value};\n    }} finally {{\n      frame.mayEnter = true;\n    }}\n  }};\n}};\n"
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
    let ind = "    ";
    let mut g = Inline::new(table);
    // Arguments.
    let mut args = Vec::new();
    if sig.params_spill() {
        g.line(
            ind,
            &format!(
                "const ptr = c0 >>> 0;\n    rt.checkPointer(cx, ptr, {{ align: {}, size: {} }});",
                sig.params_layout.align, sig.params_layout.size
            ),
        );
        g.line(ind, "const dv = rt.view(cx);");
        for ((_, t), off) in sig.params.iter().zip(&sig.param_offsets) {
            args.push(g.load(ind, *t, &format!("ptr + {off}"), "dv"));
        }
    } else {
        let mut next = 0;
        for (_, t) in &sig.params {
            let n = table.types[*t].layout.flat.len();
            let vals: Vec<String> = (next..next + n).map(|j| format!("c{j}")).collect();
            args.push(g.lift_flat(ind, *t, &vals));
            next += n;
        }
    }
    s.push_str(&g.s);
    let call = format!("callee({})", args.join(", "));
    if handles {
        let _ = writeln!(
            s,
            "    let v;\n    try {{ v = {call}; }} finally {{ for (const e of lent) e.lends--; }}"
        );
    } else {
        let _ = writeln!(s, "    const v = {call};");
    }
    let mut g = Inline::new(table);
    g.next = 1_000_000; // names distinct from the arguments' above
    match sig.result {
        None => {}
        Some(t) if sig.results_spill() => {
            g.line(
                ind,
                &format!(
                    "const retptr = c{} >>> 0;\n    rt.checkPointer(cx, retptr, T[{t}]);",
                    core_params - 1
                ),
            );
            g.store(ind, t, "v", "retptr");
        }
        Some(t) => {
            let flat = g.lower_flat(ind, t, "v");
            g.line(ind, &format!("return {};", flat[0]));
        }
    }
    s.push_str(&g.s);
    s.push_str("  };\n};\n");
    s
}

/// The DataView getter of the discriminant of a variant or enum with `cases` cases.
fn disc_getter(cases: usize) -> &'static str {
    match crate::abi::discriminant_size(cases) {
        1 => "getUint8",
        2 => "getUint16",
        _ => "getUint32",
    }
}

/// Writes the inline conversions of one trampoline: each method appends JS statements to `s`
/// and names the JS variables holding the results. Records, tuples, options and lists whose
/// elements are not numbers are unrolled; other kinds call the table-driven helper for that
/// value (`rt.lowerFlat`, `rt.liftFlat`, `rt.load`, `rt.store`), so each conversion with
/// checks of its own keeps one implementation. The order of reads, realloc calls and checks is
/// the table-driven path's, so both paths throw the same errors for the same values.
struct Inline<'a> {
    table: &'a TypeTable,
    s: String,
    next: usize,
}

fn quoted(name: &str) -> String {
    crate::json::json_string(name)
}

impl<'a> Inline<'a> {
    fn new(table: &'a TypeTable) -> Self {
        Inline {
            table,
            s: String::new(),
            next: 0,
        }
    }

    fn var(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn line(&mut self, ind: &str, text: &str) {
        let _ = writeln!(self.s, "{ind}{text}");
    }

    /// Binds `expr` to a fresh const; returns its name.
    fn bind(&mut self, ind: &str, prefix: &str, expr: &str) -> String {
        let v = self.var(prefix);
        self.line(ind, &format!("const {v} = {expr};"));
        v
    }

    fn kind(&self, t: usize) -> &'a Kind {
        &self.table.types[t].kind
    }

    fn is_option(&self, t: usize) -> bool {
        matches!(self.kind(t), Kind::Variant { kind: "option", .. })
    }

    /// `option<T>`'s payload type and whether it is written in the tagged form (T an option).
    fn option_payload(&self, t: usize) -> Option<(usize, bool)> {
        match self.kind(t) {
            Kind::Variant {
                kind: "option",
                cases,
                ..
            } => {
                let p = cases.get(1)?.1?;
                Some((p, self.is_option(p)))
            }
            _ => None,
        }
    }

    /// Lists unrolled here: not typed arrays (those copy in bulk in the helper).
    fn inline_list(&self, t: usize) -> Option<usize> {
        match self.kind(t) {
            Kind::List {
                element,
                typed_array: None,
            } => Some(*element),
            _ => None,
        }
    }

    fn record_check(&mut self, ind: &str, v: &str) {
        self.line(ind, &format!("if ({v} === null || typeof {v} !== \"object\") throw new TypeError(`expected an object for a record, got ${{{v} === null ? \"null\" : typeof {v}}}`);"));
    }

    fn tuple_check(&mut self, ind: &str, v: &str) {
        self.line(ind, &format!("if (!Array.isArray({v})) throw new TypeError(`expected an array for a tuple, got ${{{v} === null ? \"null\" : typeof {v}}}`);"));
    }

    /// The field `name` of record value `v` (as table-driven.js's fieldOf; `v` is checked to be
    /// an object before the first field is read: it is a const, so once is enough).
    fn field(&mut self, ind: &str, v: &str, name: &str) -> String {
        let js = quoted(&crate::names::lower_camel(name));
        let kebab = quoted(name);
        if js == kebab {
            return self.bind(ind, "x", &format!("{v}[{js}]"));
        }
        self.bind(ind, "x", &format!("{js} in {v} ? {v}[{js}] : {v}[{kebab}]"))
    }

    /// Lowers list `v` of `element`s into fresh memory; returns the [ptr, len] variables.
    fn lower_list(&mut self, ind: &str, element: usize, v: &str) -> (String, String) {
        self.line(ind, &format!("if (!Array.isArray({v}) && !ArrayBuffer.isView({v})) throw new TypeError(`expected an array for a list, got ${{{v} === null ? \"null\" : typeof {v}}}`);"));
        let l = &self.table.types[element].layout;
        let (size, align) = (l.size, l.align);
        let p = self.bind(
            ind,
            "p",
            &format!("rt.allocate(cx, {align}, {v}.length * {size})"),
        );
        let i = self.var("i");
        self.line(
            ind,
            &format!("for (let {i} = 0; {i} < {v}.length; {i}++) {{"),
        );
        let inner = format!("{ind}  ");
        let e = self.bind(&inner, "e", &format!("{v}[{i}]"));
        self.store(&inner, element, &e, &format!("{p} + {i} * {size}"));
        self.line(ind, "}");
        let n = self.bind(ind, "n", &format!("{v}.length"));
        (p, n)
    }

    /// Lifts the list at `ptr`, `len` (numbers) of `element`s; returns the array's variable.
    fn lift_list(&mut self, ind: &str, element: usize, ptr: &str, len: &str) -> String {
        let l = &self.table.types[element].layout;
        let (size, align) = (l.size, l.align);
        let p = self.bind(ind, "p", &format!("{ptr} >>> 0"));
        let n = self.bind(ind, "n", &format!("{len} >>> 0"));
        self.line(
            ind,
            &format!("rt.checkRange(cx, {p}, {n} * {size}, {align}, \"list\");"),
        );
        let dv = self.bind(ind, "dv", "rt.view(cx)");
        let out = self.bind(ind, "l", &format!("new Array({n})"));
        let i = self.var("i");
        self.line(ind, &format!("for (let {i} = 0; {i} < {n}; {i}++) {{"));
        let inner = format!("{ind}  ");
        let e = self.load(&inner, element, &format!("{p} + {i} * {size}"), &dv);
        self.line(&inner, &format!("{out}[{i}] = {e};"));
        self.line(ind, "}");
        out
    }

    /// An option from discriminant expression `disc`; `payload` writes the lifting of the `some`
    /// value (at indentation `inner`) and names it.
    fn lift_option(
        &mut self,
        ind: &str,
        disc: &str,
        nested: bool,
        payload: impl FnOnce(&mut Self, &str) -> String,
    ) -> String {
        let d = self.bind(ind, "d", disc);
        self.line(
            ind,
            &format!("if ({d} >= 2) rt.trap(\"invalid variant discriminant\");"),
        );
        let r = self.var("r");
        let none = if nested {
            "{ tag: \"none\" }"
        } else {
            "undefined"
        };
        self.line(ind, &format!("let {r} = {none};"));
        self.line(ind, &format!("if ({d} === 1) {{"));
        let inner = format!("{ind}  ");
        let x = payload(self, &inner);
        let some = if nested {
            format!("{{ tag: \"some\", val: {x} }}")
        } else {
            x
        };
        self.line(&inner, &format!("{r} = {some};"));
        self.line(ind, "}");
        r
    }

    /// The value inside `some` option value `v` (a variable).
    fn some_value(&mut self, ind: &str, v: &str, nested: bool) -> String {
        let val = if nested {
            format!("{v}.val")
        } else {
            v.to_string()
        };
        self.bind(ind, "x", &val)
    }

    /// Enum `t` (with `cases` names) from discriminant expression `disc`.
    fn lift_enum(&mut self, ind: &str, t: usize, cases: usize, disc: &str) -> String {
        let d = self.bind(ind, "d", disc);
        self.line(
            ind,
            &format!("if ({d} >= {cases}) rt.trap(\"invalid variant discriminant\");"),
        );
        self.bind(ind, "x", &format!("T[{t}].names[{d}]"))
    }

    /// The JS test for an option's `none` (the tagged form when `nested`).
    fn is_none(v: &str, nested: bool) -> String {
        if nested {
            format!("{v}?.tag === \"none\"")
        } else {
            format!("{v} === undefined || {v} === null")
        }
    }

    /// Statements lowering JS value `v` (a variable) of type `t`; returns its flat values.
    fn lower_flat(&mut self, ind: &str, t: usize, v: &str) -> Vec<String> {
        let table = self.table;
        if let Some(k) = scalar(table, t) {
            return vec![self.bind(ind, "f", &lower_scalar(k, v))];
        }
        if is_string(table, t) {
            let s = self.bind(ind, "s", &format!("rt.lowerString(cx, {v})"));
            return vec![format!("{s}[0] | 0"), format!("{s}[1] | 0")];
        }
        if let Some(element) = self.inline_list(t) {
            let (p, n) = self.lower_list(ind, element, v);
            return vec![format!("{p} | 0"), format!("{n} | 0")];
        }
        match self.kind(t) {
            Kind::Record(fields) => {
                self.record_check(ind, v);
                let mut out = Vec::new();
                for (name, ft, _) in fields {
                    let x = self.field(ind, v, name);
                    out.extend(self.lower_flat(ind, *ft, &x));
                }
                return out;
            }
            Kind::Tuple(items) => {
                self.tuple_check(ind, v);
                let mut out = Vec::new();
                for (i, (it, _)) in items.iter().enumerate() {
                    let x = self.bind(ind, "x", &format!("{v}[{i}]"));
                    out.extend(self.lower_flat(ind, *it, &x));
                }
                return out;
            }
            _ => {}
        }
        if let Kind::Enum(_) = self.kind(t) {
            return vec![self.bind(ind, "f", &format!("rt.enumIndex(T[{t}], {v})"))];
        }
        if let Some((payload, nested)) = self.option_payload(t) {
            let flat = table.types[t].layout.flat.clone();
            let vars: Vec<String> = flat.iter().map(|_| self.var("f")).collect();
            self.line(ind, &format!("let {};", vars.join(", ")));
            self.line(ind, &format!("if ({}) {{", Self::is_none(v, nested)));
            let inner = format!("{ind}  ");
            for (x, f) in vars.iter().zip(&flat) {
                let zero = if f.name() == "i64" { "0n" } else { "0" };
                self.line(&inner, &format!("{x} = {zero};"));
            }
            self.line(ind, "} else {");
            let val = self.some_value(&inner, v, nested);
            let got = self.lower_flat(&inner, payload, &val);
            self.line(&inner, &format!("{} = 1;", vars[0]));
            for (x, g) in vars[1..].iter().zip(&got) {
                self.line(&inner, &format!("{x} = {g};"));
            }
            self.line(ind, "}");
            return vars;
        }
        let n = table.types[t].layout.flat.len();
        let out = self.bind(ind, "o", "[]");
        self.line(ind, &format!("rt.lowerFlat(cx, T[{t}], {v}, {out});"));
        (0..n).map(|i| format!("{out}[{i}]")).collect()
    }

    /// Statements lifting type `t` from flat values `vals`; returns the JS value's expression.
    fn lift_flat(&mut self, ind: &str, t: usize, vals: &[String]) -> String {
        let table = self.table;
        if let Some(k) = scalar(table, t) {
            return self.bind(ind, "x", &lift_scalar(k, &vals[0]));
        }
        if is_string(table, t) {
            return self.bind(
                ind,
                "x",
                &format!("rt.liftString(cx, {}, {})", vals[0], vals[1]),
            );
        }
        if let Some(element) = self.inline_list(t) {
            return self.lift_list(ind, element, &vals[0], &vals[1]);
        }
        match self.kind(t) {
            Kind::Record(fields) => {
                let mut next = 0;
                let mut parts = Vec::new();
                for (name, ft, _) in fields {
                    let n = table.types[*ft].layout.flat.len();
                    let x = self.lift_flat(ind, *ft, &vals[next..next + n]);
                    parts.push(format!("{}: {x}", quoted(&crate::names::lower_camel(name))));
                    next += n;
                }
                return self.bind(ind, "r", &format!("{{ {} }}", parts.join(", ")));
            }
            Kind::Tuple(items) => {
                let mut next = 0;
                let mut parts = Vec::new();
                for (it, _) in items {
                    let n = table.types[*it].layout.flat.len();
                    parts.push(self.lift_flat(ind, *it, &vals[next..next + n]));
                    next += n;
                }
                return self.bind(ind, "r", &format!("[{}]", parts.join(", ")));
            }
            _ => {}
        }
        if let Kind::Enum(names) = self.kind(t) {
            let disc = format!("{} >>> 0", vals[0]);
            return self.lift_enum(ind, t, names.len(), &disc);
        }
        if let Some((payload, nested)) = self.option_payload(t) {
            let disc = format!("{} >>> 0", vals[0]);
            return self.lift_option(ind, &disc, nested, |g, inner| {
                g.lift_flat(inner, payload, &vals[1..])
            });
        }
        self.bind(
            ind,
            "x",
            &format!(
                "rt.liftFlat(cx, T[{t}], new rt.FlatReader([{}]))",
                vals.join(", ")
            ),
        )
    }

    /// Statements loading type `t` from memory at `ptr` (checked by the caller), reading through
    /// DataView `dv` (current: nothing runs guest code while a value is lifted).
    fn load(&mut self, ind: &str, t: usize, ptr: &str, dv: &str) -> String {
        let table = self.table;
        if let Some(k) = scalar(table, t) {
            let e = match k {
                "bool" => format!("{dv}.getUint8({ptr}) !== 0"),
                "u8" => format!("{dv}.getUint8({ptr})"),
                "s8" => format!("{dv}.getInt8({ptr})"),
                "u16" => format!("{dv}.getUint16({ptr}, true)"),
                "s16" => format!("{dv}.getInt16({ptr}, true)"),
                "u32" => format!("{dv}.getUint32({ptr}, true)"),
                "s32" => format!("{dv}.getInt32({ptr}, true)"),
                "u64" => format!("{dv}.getBigUint64({ptr}, true)"),
                "s64" => format!("{dv}.getBigInt64({ptr}, true)"),
                "f32" => format!("{dv}.getFloat32({ptr}, true)"),
                "f64" => format!("{dv}.getFloat64({ptr}, true)"),
                _ => format!("rt.liftChar({dv}.getUint32({ptr}, true))"),
            };
            return self.bind(ind, "x", &e);
        }
        if is_string(table, t) {
            return self.bind(
                ind,
                "x",
                &format!("rt.liftString(cx, {dv}.getUint32({ptr}, true), {dv}.getUint32({ptr} + 4, true))"),
            );
        }
        if let Some(element) = self.inline_list(t) {
            let p = self.bind(ind, "p", &format!("{dv}.getUint32({ptr}, true)"));
            let n = self.bind(ind, "n", &format!("{dv}.getUint32({ptr} + 4, true)"));
            return self.lift_list(ind, element, &p, &n);
        }
        match self.kind(t) {
            Kind::Record(fields) => {
                let mut parts = Vec::new();
                for (name, ft, off) in fields {
                    let x = self.load(ind, *ft, &format!("{ptr} + {off}"), dv);
                    parts.push(format!("{}: {x}", quoted(&crate::names::lower_camel(name))));
                }
                return self.bind(ind, "r", &format!("{{ {} }}", parts.join(", ")));
            }
            Kind::Tuple(items) => {
                let mut parts = Vec::new();
                for (it, off) in items {
                    parts.push(self.load(ind, *it, &format!("{ptr} + {off}"), dv));
                }
                return self.bind(ind, "r", &format!("[{}]", parts.join(", ")));
            }
            Kind::Variant {
                cases,
                payload_offset,
                ..
            } if !self.is_option(t) => {
                let get = disc_getter(cases.len());
                let d = self.bind(ind, "d", &format!("{dv}.{get}({ptr}, true)"));
                self.line(
                    ind,
                    &format!(
                        "if ({d} >= {}) rt.trap(\"invalid variant discriminant\");",
                        cases.len()
                    ),
                );
                let r = self.var("r");
                self.line(ind, &format!("let {r};"));
                let inner = format!("{ind}  ");
                for (i, (name, payload)) in cases.iter().enumerate() {
                    let tag = quoted(name);
                    self.line(ind, &format!("if ({d} === {i}) {{"));
                    let value = match payload {
                        Some(p) => {
                            let x = self.load(&inner, *p, &format!("{ptr} + {payload_offset}"), dv);
                            format!("{{ tag: {tag}, val: {x} }}")
                        }
                        None => format!("{{ tag: {tag} }}"),
                    };
                    self.line(&inner, &format!("{r} = {value};"));
                    self.line(ind, "}");
                }
                return r;
            }
            Kind::Enum(names) => {
                let get = disc_getter(names.len());
                let disc = format!("{dv}.{get}({ptr}, true)");
                return self.lift_enum(ind, t, names.len(), &disc);
            }
            Kind::Variant { payload_offset, .. } if self.is_option(t) => {
                let (payload, nested) = self.option_payload(t).expect("option has a payload");
                let at = format!("{ptr} + {payload_offset}");
                let disc = format!("{dv}.getUint8({ptr})");
                return self.lift_option(ind, &disc, nested, |g, inner| {
                    g.load(inner, payload, &at, dv)
                });
            }
            _ => {}
        }
        self.bind(ind, "x", &format!("rt.load(cx, T[{t}], {ptr})"))
    }

    /// Statements storing JS value `v` (a variable) of type `t` at `ptr`. The DataView is taken
    /// afresh after anything that may call realloc (memory may grow).
    fn store(&mut self, ind: &str, t: usize, v: &str, ptr: &str) {
        let table = self.table;
        if let Some(k) = scalar(table, t) {
            let x = self.bind(ind, "f", &lower_scalar(k, v));
            let set = match k {
                "bool" | "u8" | "s8" => format!("setUint8({ptr}, {x})"),
                "u16" | "s16" => format!("setUint16({ptr}, {x}, true)"),
                "u32" | "s32" | "char" => format!("setUint32({ptr}, {x}, true)"),
                "u64" | "s64" => format!("setBigInt64({ptr}, {x}, true)"),
                "f32" => format!("setFloat32({ptr}, {x}, true)"),
                _ => format!("setFloat64({ptr}, {x}, true)"),
            };
            self.line(ind, &format!("rt.view(cx).{set};"));
            return;
        }
        let list = if is_string(table, t) {
            let s = self.bind(ind, "s", &format!("rt.lowerString(cx, {v})"));
            Some((format!("{s}[0]"), format!("{s}[1]")))
        } else {
            self.inline_list(t)
                .map(|element| self.lower_list(ind, element, v))
        };
        if let Some((p, n)) = list {
            let dv = self.bind(ind, "dv", "rt.view(cx)");
            self.line(ind, &format!("{dv}.setUint32({ptr}, {p}, true);"));
            self.line(ind, &format!("{dv}.setUint32({ptr} + 4, {n}, true);"));
            return;
        }
        match self.kind(t) {
            Kind::Record(fields) => {
                self.record_check(ind, v);
                for (name, ft, off) in fields {
                    let x = self.field(ind, v, name);
                    self.store(ind, *ft, &x, &format!("{ptr} + {off}"));
                }
                return;
            }
            Kind::Tuple(items) => {
                self.tuple_check(ind, v);
                for (i, (it, off)) in items.iter().enumerate() {
                    let x = self.bind(ind, "x", &format!("{v}[{i}]"));
                    self.store(ind, *it, &x, &format!("{ptr} + {off}"));
                }
                return;
            }
            Kind::Variant {
                cases,
                payload_offset,
                ..
            } if !self.is_option(t) => {
                let set = disc_getter(cases.len()).replacen("get", "set", 1);
                let i = self.bind(ind, "f", &format!("rt.caseIndex(T[{t}], {v})"));
                let val = self.bind(ind, "x", &format!("{v}.val"));
                self.line(ind, &format!("rt.view(cx).{set}({ptr}, {i}, true);"));
                let inner = format!("{ind}  ");
                for (k, (_, payload)) in cases.iter().enumerate() {
                    if let Some(p) = payload {
                        self.line(ind, &format!("if ({i} === {k}) {{"));
                        self.store(&inner, *p, &val, &format!("{ptr} + {payload_offset}"));
                        self.line(ind, "}");
                    }
                }
                return;
            }
            Kind::Enum(names) => {
                let set = disc_getter(names.len()).replacen("get", "set", 1);
                let i = self.bind(ind, "f", &format!("rt.enumIndex(T[{t}], {v})"));
                self.line(ind, &format!("rt.view(cx).{set}({ptr}, {i}, true);"));
                return;
            }
            Kind::Variant { payload_offset, .. } if self.is_option(t) => {
                let (payload, nested) = self.option_payload(t).expect("option has a payload");
                let off = *payload_offset;
                self.line(ind, &format!("if ({}) {{", Self::is_none(v, nested)));
                let inner = format!("{ind}  ");
                self.line(&inner, &format!("rt.view(cx).setUint8({ptr}, 0);"));
                self.line(ind, "} else {");
                let val = self.some_value(&inner, v, nested);
                self.line(&inner, &format!("rt.view(cx).setUint8({ptr}, 1);"));
                self.store(&inner, payload, &val, &format!("{ptr} + {off}"));
                self.line(ind, "}");
                return;
            }
            _ => {}
        }
        self.line(ind, &format!("rt.store(cx, T[{t}], {v}, {ptr});"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{Flat, Layout};
    use crate::types::TypeDesc;

    fn ty(kind: Kind, size: u32, align: u32, flat: usize) -> TypeDesc {
        TypeDesc {
            kind,
            layout: Layout {
                size,
                align,
                flat: vec![Flat::I32; flat],
            },
        }
    }

    /// record person { full-name: string, tags: list<string>, home: option<tuple<u8, u32>> }
    /// (type 6) and result<u8, string> (type 7).
    fn table() -> TypeTable {
        let mut t = TypeTable::default();
        t.types = vec![
            ty(Kind::Primitive("string"), 8, 4, 2),
            ty(
                Kind::List {
                    element: 0,
                    typed_array: None,
                },
                8,
                4,
                2,
            ),
            ty(Kind::Primitive("u8"), 1, 1, 1),
            ty(Kind::Primitive("u32"), 4, 4, 1),
            ty(Kind::Tuple(vec![(2, 0), (3, 4)]), 8, 4, 2),
            ty(
                Kind::Variant {
                    kind: "option",
                    cases: vec![("none".into(), None), ("some".into(), Some(4))],
                    payload_offset: 4,
                },
                12,
                4,
                3,
            ),
            ty(
                Kind::Record(vec![
                    ("full-name".into(), 0, 0),
                    ("tags".into(), 1, 8),
                    ("home".into(), 5, 16),
                ]),
                28,
                4,
                7,
            ),
            ty(
                Kind::Variant {
                    kind: "result",
                    cases: vec![("ok".into(), Some(2)), ("error".into(), Some(0))],
                    payload_offset: 4,
                },
                12,
                4,
                3,
            ),
            ty(Kind::Enum(vec!["red".into(), "green".into()]), 1, 1, 1),
        ];
        t
    }

    fn sig(table: &TypeTable, param: usize, result: usize) -> Signature {
        let layout = table.types[param].layout.clone();
        Signature {
            params: vec![("p".into(), param)],
            result: Some(result),
            is_async: false,
            flat_params: layout.flat.len(),
            flat_results: table.types[result].layout.flat.len(),
            param_offsets: vec![0],
            params_layout: layout,
        }
    }

    #[test]
    fn records_tuples_options_and_lists_of_strings_are_inline_both_ways() {
        let table = table();
        let s = sig(&table, 6, 6);
        for src in [lift_source(&table, &s), lower_source(&table, &s)] {
            for helper in ["rt.lowerFlat", "rt.liftFlat", "rt.load(", "rt.store("] {
                assert!(!src.contains(helper), "{helper} in\n{src}");
            }
            assert!(src.contains("expected an object for a record"), "{src}");
            assert!(
                src.contains("rt.trap(\"invalid variant discriminant\")"),
                "{src}"
            );
        }
        let lift = lift_source(&table, &s);
        assert!(
            lift.contains("\"fullName\" in a0 ? a0[\"fullName\"] : a0[\"full-name\"]"),
            "{lift}"
        );
        assert!(lift.contains("rt.checkRange(cx, "), "{lift}");
        // Memory may grow in realloc: each store after a string copy takes the view afresh.
        let lower = lower_source(&table, &s);
        assert!(lower.contains("rt.view(cx).setUint8("), "{lower}");
    }

    #[test]
    fn enums_are_inline_with_the_helpers_error_for_unknown_names() {
        let table = table();
        let s = sig(&table, 8, 8);
        let lift = lift_source(&table, &s);
        assert!(lift.contains("rt.enumIndex(T[8], a0)"), "{lift}");
        let lower = lower_source(&table, &s);
        assert!(
            lower.contains("if (d1 >= 2) rt.trap(\"invalid variant discriminant\");"),
            "{lower}"
        );
        assert!(lower.contains("T[8].names[d1]"), "{lower}");
        for src in [lift, lower] {
            assert!(
                !src.contains("rt.lowerFlat") && !src.contains("rt.liftFlat"),
                "{src}"
            );
        }
    }

    #[test]
    fn variants_use_the_table_driven_helpers_only_in_flat_form() {
        let table = table();
        let s = sig(&table, 7, 7);
        let lift = lift_source(&table, &s);
        assert!(lift.contains("rt.lowerFlat(cx, T[7], a0, "), "{lift}");
        // In memory (a spilled result) variants are inline: no joined flat types to convert.
        assert!(!lift.contains("rt.load("), "{lift}");
        assert!(lift.contains("{ tag: \"error\", val: "), "{lift}");
        let lower = lower_source(&table, &s);
        assert!(
            lower.contains("rt.liftFlat(cx, T[7], new rt.FlatReader([c0, c1, c2]))"),
            "{lower}"
        );
        assert!(lower.contains("rt.caseIndex(T[7], v)"), "{lower}");
        assert!(!lower.contains("rt.store("), "{lower}");
    }
}
