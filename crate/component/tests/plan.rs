//! compile(): the instantiation plan and the trampolines the engine writes for JS
//! (docs/components.md, "Instantiation").
use cove_component::compile;

/// tests/components/calls.wat: scalars, strings, host imports, a result, a nested instance.
const CALLS: &[u8] = include_bytes!("../../../tests/components/calls.wasm");
/// tests/components/resources.wat: a guest resource with a destructor and a host resource.
const RESOURCES: &[u8] = include_bytes!("../../../tests/components/resources.wasm");
/// tests/components/nested.wat: a core module, and a nested component with a core module of its own.
const NESTED: &[u8] = include_bytes!("../../../tests/components/nested.wasm");
/// tests/components/bad-body.wat: a core function whose body returns i64 for an i32 result.
const BAD_BODY: &[u8] = include_bytes!("../../../tests/components/bad-body.wasm");
/// tests/components/fixed-lists.wat: `list<T, n>` parameters and results, flat and in memory.
const FIXED_LISTS: &[u8] = include_bytes!("../../../tests/components/fixed-lists.wasm");

#[test]
fn fixed_length_lists_are_laid_out_in_place_and_spill_past_sixteen_values() {
    let compiled = compile(FIXED_LISTS).unwrap();
    let plan = &compiled.plan;
    assert!(
        plan.contains("\"k\":\"fixed-list\",\"t\":"),
        "a fixed-list descriptor: {plan}"
    );
    assert!(!plan.contains("unsupported"), "{plan}");
    let sigs = &compiled.types.signatures;
    // sum3: list<u32, 3> -> u32, three flat parameters.
    assert!(sigs
        .iter()
        .any(|s| s.flat_params == 3 && s.flat_results == 1 && !s.params_spill()));
    // first-and-last: list<u16, 20>, 20 flat values, so one pointer; the list is 40 bytes.
    let spilled = sigs
        .iter()
        .find(|s| s.params_spill())
        .expect("first-and-last spills");
    assert_eq!(spilled.params_layout.size, 40);
    assert!(
        spilled.flat_params > 16,
        "counted as far as spilling needs (abi::fixed_list)"
    );
}

#[test]
fn each_core_module_comes_with_its_location_for_errors() {
    let plan = compile(NESTED).unwrap().plan;
    let modules = &plan[..plan.find("],\"components\"").unwrap()];
    assert!(
        modules.contains(",\"component > core module 0\"]"),
        "{modules}"
    );
    assert!(
        modules.contains(",\"component > component 0 > core module 0\"]"),
        "{modules}"
    );
}

#[test]
fn compile_leaves_function_bodies_to_the_js_engine_and_validate_checks_them() {
    // The artifact that instantiates has no function-body validator (docs/components.md,
    // "Size"): WebAssembly.Module validates the code when JS compiles the module, and
    // js/src/component/core-module.js names the module in that error.
    let plan = compile(BAD_BODY)
        .expect("everything but the body is valid")
        .plan;
    assert!(plan.contains("\"component > core module 0\""), "{plan}");
    let e = cove_component::validate(BAD_BODY).unwrap_err();
    assert!(e.message.contains("type mismatch"), "{e}");
    assert_eq!(
        e.section,
        "component > core module 0 > code section, function body 0"
    );
}

#[test]
fn compile_still_validates_the_modules_around_their_bodies() {
    // A component whose one core module exports function 0 and has no functions.
    let module = b"\0asm\x01\0\0\0\x07\x05\x01\x01f\x00\x00";
    let mut component = b"\0asm\x0d\x00\x01\x00\x01".to_vec();
    component.push(module.len() as u8);
    component.extend_from_slice(module);
    let e = compile(&component)
        .err()
        .expect("an export of a missing function is refused");
    assert!(e.message.contains("out of bounds"), "{e}");
    assert_eq!(e.section, "component > core module 0 > export section");
}

#[test]
fn the_plan_lists_core_modules_and_steps_in_binary_order() {
    let plan = compile(CALLS).unwrap().plan;
    assert!(plan.starts_with("{\"modules\":[["), "{plan}");
    for step in [
        "[\"import\",\"ns:pkg/host\",\"instance\"]",
        "[\"import\",\"bare-fn\",\"func\"]",
        "[\"module\",0]",
        "[\"core-instantiate\",0,[]]",
        "[\"core-alias\",\"memory\",0,\"memory\"]",
        "[\"alias\",\"func\",0,\"double\"]",
        "[\"export\",\"ns:pkg/math\",\"instance\",",
    ] {
        assert!(plan.contains(step), "expected {step} in {plan}");
    }
    let import = plan.find("\"bare-fn\"").unwrap();
    let module = plan.find("[\"module\",0]").unwrap();
    assert!(
        import < module,
        "imports come before the modules in calls.wat"
    );
}

#[test]
fn signatures_carry_their_flat_shapes_and_spill_results_through_memory() {
    let compiled = compile(CALLS).unwrap();
    let sigs = &compiled.types.signatures;
    // add: (u32, u32) -> u32, flat throughout.
    assert!(sigs
        .iter()
        .any(|s| s.flat_params == 2 && s.flat_results == 1 && !s.results_spill()));
    // echo: string -> string: the result (two flat values) goes through a return pointer.
    assert!(sigs
        .iter()
        .any(|s| s.flat_params == 2 && s.flat_results == 2 && s.results_spill()));
}

#[test]
fn trampolines_inline_scalars_and_strings() {
    let plan = compile(CALLS).unwrap().plan;
    // (u32, u32) -> u32 lifts without the generic helpers.
    assert!(
        plan.contains(
            "const f1 = ((typeof a0 === \\\"number\\\" ? a0 : rt.toNumber(a0, \\\"u32\\\")) | 0)"
        ),
        "{plan}"
    );
    assert!(plan.contains("const x2 = (ret >>> 0);"), "{plan}");
    // string -> string copies the argument in with rt.lowerString and loads the result.
    assert!(plan.contains("const s1 = rt.lowerString(cx, a0);"));
    assert!(plan.contains("core(s1[0] | 0, s1[1] | 0)"));
    assert!(plan.contains("rt.checkPointer(cx, ret >>> 0, T["));
    assert!(
        plan.contains("rt.liftString(cx, dv.getUint32((ret >>> 0), true)"),
        "{plan}"
    );
    // The lower direction: s64 in, s64 out.
    assert!(plan.contains("const x1 = BigInt.asIntN(64, c0);"), "{plan}");
}

#[test]
fn resources_get_a_fresh_type_per_instance_and_handle_types_name_them() {
    let plan = compile(RESOURCES).unwrap().plan;
    assert!(
        plan.contains("[\"resource\",3]"),
        "a resource with destructor core func 3: {plan}"
    );
    assert!(plan.contains("[\"resource.new\","));
    assert!(plan.contains("\"k\":\"own\",\"r\":"));
    assert!(plan.contains("\"k\":\"borrow\",\"r\":"));
    // Borrow scopes are set up only where handles cross.
    assert!(plan.contains("const scope = cx.scope = { borrows: 0 };"));
}

#[test]
fn compile_rejects_truncated_bytes() {
    let err = compile(&CALLS[..CALLS.len() / 2]).err().expect("truncated");
    assert!(!err.message.is_empty());
}
