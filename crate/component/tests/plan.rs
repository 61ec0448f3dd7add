//! compile(): the instantiation plan and the trampolines the engine writes for JS
//! (docs/components.md, "Instantiation").
use cove_component::compile;

/// tests/components/calls.wat: scalars, strings, host imports, a result, a nested instance.
const CALLS: &[u8] = include_bytes!("../../../tests/components/calls.wasm");
/// tests/components/resources.wat: a guest resource with a destructor and a host resource.
const RESOURCES: &[u8] = include_bytes!("../../../tests/components/resources.wasm");

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
fn compile_rejects_what_validate_rejects() {
    let err = compile(&CALLS[..CALLS.len() / 2]).err().expect("truncated");
    assert!(!err.message.is_empty());
}
