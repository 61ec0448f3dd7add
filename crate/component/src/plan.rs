//! `compile`: the instantiation plan of a component (docs/components.md, "Instantiation"),
//! computed once and run by js/src/component/instantiate.js for every instance.
//!
//! The plan is JSON: the byte ranges of the core modules with their locations (JS compiles each
//! once, and names the location when that fails), one list of steps per component definition
//! (the root and every nested one), in binary order, each step appending to one index space of
//! the running component instance, and the type table (types.rs) that the canonical-ABI steps
//! refer to. Steps:
//!
//! ```text
//! ["module", m]                         core module m of the plan's list
//! ["component", c]                      nested component definition c
//! ["core-instantiate", module, [[name, core-instance]…]]
//! ["core-instance", [[name, kind, index]…]]          instance from exports
//! ["core-alias", kind, core-instance, name]           alias core export
//! ["alias", kind, instance, name]                     alias instance export
//! ["outer", kind, count, index]                       alias outer (module, component, type)
//! ["type"] / ["resource", dtor-core-func or -1]       a type index (resources are fresh per instance)
//! ["import", name, kind]
//! ["export", name, kind, index]
//! ["instantiate", component, [[name, kind, index]…]]
//! ["instance", [[name, kind, index]…]]                component instance from exports
//! ["lift", core-func, signature, options] / ["lower", func, signature, options]
//! ["resource.new" | "resource.drop" | "resource.rep", type]
//! ["context.get" | "context.set", slot]               task-local storage
//! ["backpressure", +1 or -1]
//! ["builtin", name]                                  a canonical builtin Cove does not run
//! ```

use std::collections::HashMap;
use std::fmt::Write;

use wasmparser::component_types::ComponentAnyTypeId;
use wasmparser::types::Types;
use wasmparser::{
    CanonicalFunction, CanonicalOption, ComponentAlias, ComponentExternalKind,
    ComponentOuterAliasKind, ComponentType, ComponentTypeRef, ExternalKind, Instance, Payload,
};

use crate::codegen::{lift_source, lower_source};
use crate::error::ComponentError;
use crate::features::engine_features;
use crate::json::json_string;
use crate::types::{Scope, TypeTable};
use crate::validate::{validate_with, Visit, NOT_FUNCTION_BODIES};

/// Canonical options as the plan writes them.
#[derive(Default, Clone)]
struct Options {
    memory: Option<u32>,
    realloc: Option<u32>,
    post_return: Option<u32>,
    encoding: &'static str,
    is_async: bool,
}

impl Options {
    fn from(options: &[CanonicalOption]) -> Options {
        let mut o = Options {
            encoding: "utf8",
            ..Options::default()
        };
        for option in options {
            match option {
                CanonicalOption::UTF8 => o.encoding = "utf8",
                CanonicalOption::UTF16 => o.encoding = "utf16",
                CanonicalOption::CompactUTF16 => o.encoding = "latin1+utf16",
                CanonicalOption::Memory(m) => o.memory = Some(*m),
                CanonicalOption::Realloc(f) => o.realloc = Some(*f),
                CanonicalOption::PostReturn(f) => o.post_return = Some(*f),
                CanonicalOption::Async | CanonicalOption::Callback(_) => o.is_async = true,
                CanonicalOption::CoreType(_) | CanonicalOption::Gc => {}
            }
        }
        o
    }

    fn json(&self) -> String {
        let n = |v: Option<u32>| v.map_or(-1, i64::from);
        format!(
            "{{\"memory\":{},\"realloc\":{},\"postReturn\":{},\"encoding\":\"{}\",\"async\":{}}}",
            n(self.memory),
            n(self.realloc),
            n(self.post_return),
            self.encoding,
            self.is_async
        )
    }
}

enum Step {
    Json(String),
    /// Signatures are known once the component's types are (at its end).
    Lift {
        core_func: u32,
        type_index: u32,
        options: Options,
    },
    Lower {
        func: u32,
        options: Options,
    },
}

#[derive(Default)]
struct Builder {
    steps: Vec<Step>,
}

impl Builder {
    fn push(&mut self, json: String) {
        self.steps.push(Step::Json(json));
    }
}

enum Level {
    Module,
    Component(Builder),
}

/// A compiled component: the plan JSON and, for tests, its parts.
pub struct Compiled {
    pub plan: String,
    pub types: TypeTable,
}

/// Validates `bytes` and computes its instantiation plan.
pub fn compile(bytes: &[u8]) -> Result<Compiled, ComponentError> {
    let mut stack: Vec<Level> = Vec::new();
    // Byte range and location ("component > core module 0") of every core module.
    let mut modules: Vec<(u64, u64, String)> = Vec::new();
    let mut components: Vec<String> = Vec::new();
    let mut table = TypeTable::default();
    let mut root = None;
    validate_with::<NOT_FUNCTION_BODIES>(bytes, engine_features(), |_, visit| match visit {
        Visit::Payload(payload) => {
            if matches!(payload, Payload::Version { .. }) && stack.is_empty() {
                stack.push(Level::Component(Builder::default()));
                return;
            }
            let Some(Level::Component(builder)) = stack.last_mut() else {
                return;
            };
            match payload {
                Payload::ModuleSection {
                    unchecked_range, ..
                } => {
                    builder.push(format!("[\"module\",{}]", modules.len()));
                    modules.push((unchecked_range.start, unchecked_range.end, String::new()));
                    stack.push(Level::Module);
                }
                Payload::ComponentSection { .. } => {
                    stack.push(Level::Component(Builder::default()));
                }
                _ => section_steps(builder, payload),
            }
        }
        Visit::Entered(location) => {
            if let (Some(Level::Module), Some(module)) = (stack.last(), modules.last_mut()) {
                module.2 = location.to_string();
            }
        }
        Visit::End(types) => {
            if let Some(Level::Component(builder)) = stack.pop() {
                components.push(finish(builder, types, &mut table));
                let index = components.len() - 1;
                match stack.last_mut() {
                    Some(Level::Component(parent)) => {
                        parent.push(format!("[\"component\",{index}]"))
                    }
                    _ => root = Some(index),
                }
            }
        }
    })?;
    let mut plan = String::from("{\"modules\":[");
    for (i, (start, end, location)) in modules.iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        let _ = write!(plan, "{comma}[{start},{end},{}]", json_string(location));
    }
    let trampolines: Vec<String> = table
        .signatures
        .iter()
        .map(|sig| {
            format!(
                "[{},{}]",
                json_string(&lift_source(&table, sig)),
                json_string(&lower_source(&table, sig))
            )
        })
        .collect();
    let _ = write!(
        plan,
        "],\"components\":[{}],\"root\":{},{},\"trampolines\":[{}]}}",
        components.join(","),
        root.unwrap_or(0),
        table.to_json(),
        trampolines.join(",")
    );
    Ok(Compiled { plan, types: table })
}

/// The steps of one section of a component.
fn section_steps(builder: &mut Builder, payload: &Payload<'_>) {
    match payload {
        Payload::InstanceSection(reader) => {
            for instance in reader.clone().into_iter().flatten() {
                let step = match instance {
                    Instance::Instantiate { module_index, args } => {
                        let args: Vec<String> = args
                            .iter()
                            .map(|a| format!("[{},{}]", json_string(a.name), a.index))
                            .collect();
                        format!("[\"core-instantiate\",{module_index},[{}]]", args.join(","))
                    }
                    Instance::FromExports(exports) => {
                        let items: Vec<String> = exports
                            .iter()
                            .map(|e| {
                                format!(
                                    "[{},\"{}\",{}]",
                                    json_string(e.name),
                                    core_kind(e.kind),
                                    e.index
                                )
                            })
                            .collect();
                        format!("[\"core-instance\",[{}]]", items.join(","))
                    }
                };
                builder.push(step);
            }
        }
        Payload::ComponentAliasSection(reader) => {
            for alias in reader.clone().into_iter().flatten() {
                let step = match alias {
                    ComponentAlias::CoreInstanceExport {
                        kind,
                        instance_index,
                        name,
                    } => format!(
                        "[\"core-alias\",\"{}\",{instance_index},{}]",
                        core_kind(kind),
                        json_string(name)
                    ),
                    ComponentAlias::InstanceExport {
                        kind,
                        instance_index,
                        name,
                    } => format!(
                        "[\"alias\",\"{}\",{instance_index},{}]",
                        kind_name(kind),
                        json_string(name)
                    ),
                    ComponentAlias::Outer { kind, count, index } => {
                        let kind = match kind {
                            ComponentOuterAliasKind::CoreModule => "module",
                            ComponentOuterAliasKind::CoreType => continue,
                            ComponentOuterAliasKind::Type => "type",
                            ComponentOuterAliasKind::Component => "component",
                        };
                        format!("[\"outer\",\"{kind}\",{count},{index}]")
                    }
                };
                builder.push(step);
            }
        }
        Payload::ComponentTypeSection(reader) => {
            for ty in reader.clone().into_iter().flatten() {
                builder.push(match ty {
                    ComponentType::Resource { dtor, .. } => {
                        format!("[\"resource\",{}]", dtor.map_or(-1, i64::from))
                    }
                    _ => "[\"type\"]".into(),
                });
            }
        }
        Payload::ComponentImportSection(reader) => {
            for import in reader.clone().into_iter().flatten() {
                let kind = match import.ty {
                    ComponentTypeRef::Module(_) => "module",
                    ComponentTypeRef::Func(_) => "func",
                    ComponentTypeRef::Value(_) => "value",
                    ComponentTypeRef::Type(_) => "type",
                    ComponentTypeRef::Instance(_) => "instance",
                    ComponentTypeRef::Component(_) => "component",
                };
                builder.push(format!(
                    "[\"import\",{},\"{kind}\"]",
                    json_string(import.name.name)
                ));
            }
        }
        Payload::ComponentExportSection(reader) => {
            for export in reader.clone().into_iter().flatten() {
                builder.push(format!(
                    "[\"export\",{},\"{}\",{}]",
                    json_string(export.name.name),
                    kind_name(export.kind),
                    export.index
                ));
            }
        }
        Payload::ComponentInstanceSection(reader) => {
            for instance in reader.clone().into_iter().flatten() {
                let step = match instance {
                    wasmparser::ComponentInstance::Instantiate {
                        component_index,
                        args,
                    } => {
                        let args: Vec<String> = args
                            .iter()
                            .map(|a| {
                                format!(
                                    "[{},\"{}\",{}]",
                                    json_string(a.name),
                                    kind_name(a.kind),
                                    a.index
                                )
                            })
                            .collect();
                        format!("[\"instantiate\",{component_index},[{}]]", args.join(","))
                    }
                    wasmparser::ComponentInstance::FromExports(exports) => {
                        let items: Vec<String> = exports
                            .iter()
                            .map(|e| {
                                format!(
                                    "[{},\"{}\",{}]",
                                    json_string(e.name.name),
                                    kind_name(e.kind),
                                    e.index
                                )
                            })
                            .collect();
                        format!("[\"instance\",[{}]]", items.join(","))
                    }
                };
                builder.push(step);
            }
        }
        Payload::ComponentCanonicalSection(reader) => {
            for canon in reader.clone().into_iter().flatten() {
                match canon {
                    CanonicalFunction::Lift {
                        core_func_index,
                        type_index,
                        options,
                    } => builder.steps.push(Step::Lift {
                        core_func: core_func_index,
                        type_index,
                        options: Options::from(&options),
                    }),
                    CanonicalFunction::Lower {
                        func_index,
                        options,
                    } => builder.steps.push(Step::Lower {
                        func: func_index,
                        options: Options::from(&options),
                    }),
                    CanonicalFunction::ResourceNew { resource } => {
                        builder.push(format!("[\"resource.new\",{resource}]"))
                    }
                    CanonicalFunction::ResourceDrop { resource } => {
                        builder.push(format!("[\"resource.drop\",{resource}]"))
                    }
                    CanonicalFunction::ResourceRep { resource } => {
                        builder.push(format!("[\"resource.rep\",{resource}]"))
                    }
                    CanonicalFunction::ContextGet { slot, .. } => {
                        builder.push(format!("[\"context.get\",{slot}]"))
                    }
                    CanonicalFunction::ContextSet { slot, .. } => {
                        builder.push(format!("[\"context.set\",{slot}]"))
                    }
                    CanonicalFunction::BackpressureInc => {
                        builder.push("[\"backpressure\",1]".into())
                    }
                    CanonicalFunction::BackpressureDec => {
                        builder.push("[\"backpressure\",-1]".into())
                    }
                    other => {
                        let name = builtin_name(&other);
                        builder.push(format!("[\"builtin\",\"{name}\"]"));
                    }
                }
            }
        }
        Payload::ComponentStartSection { .. } => builder.push("[\"builtin\",\"start\"]".into()),
        _ => {}
    }
}

/// The component's steps as JSON, signatures resolved with its validator types.
fn finish(builder: Builder, all: &Types, table: &mut TypeTable) -> String {
    let types = all.as_ref();
    let mut resources = HashMap::new();
    for i in 0..types.component_type_count() {
        if let ComponentAnyTypeId::Resource(r) = types.component_any_type_at(i) {
            resources.entry(r.resource()).or_insert(i);
        }
    }
    let scope = Scope {
        types: all,
        resources: &resources,
    };
    let steps: Vec<String> = builder
        .steps
        .into_iter()
        .map(|step| match step {
            Step::Json(s) => s,
            Step::Lift {
                core_func,
                type_index,
                options,
            } => {
                let sig = match types.component_any_type_at(type_index) {
                    ComponentAnyTypeId::Func(f) => table.signature(&scope, f) as i64,
                    _ => -1, // validation guarantees a function type
                };
                format!("[\"lift\",{core_func},{sig},{}]", options.json())
            }
            Step::Lower { func, options } => {
                let sig = table.signature(&scope, types.component_function_at(func));
                format!("[\"lower\",{func},{sig},{}]", options.json())
            }
        })
        .collect();
    format!("[{}]", steps.join(","))
}

fn core_kind(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => "func",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

fn kind_name(kind: ComponentExternalKind) -> &'static str {
    match kind {
        ComponentExternalKind::Module => "module",
        ComponentExternalKind::Func => "func",
        ComponentExternalKind::Value => "value",
        ComponentExternalKind::Type => "type",
        ComponentExternalKind::Instance => "instance",
        ComponentExternalKind::Component => "component",
    }
}

/// The name of a canonical builtin Cove does not run, for its trap message.
fn builtin_name(f: &CanonicalFunction) -> &'static str {
    use CanonicalFunction::*;
    match f {
        TaskReturn { .. } => "task.return",
        TaskCancel => "task.cancel",
        ThreadYield => "thread.yield",
        SubtaskDrop => "subtask.drop",
        SubtaskCancel { .. } => "subtask.cancel",
        StreamNew { .. } => "stream.new",
        StreamRead { .. } => "stream.read",
        StreamWrite { .. } => "stream.write",
        StreamCancelRead { .. } => "stream.cancel-read",
        StreamCancelWrite { .. } => "stream.cancel-write",
        StreamDropReadable { .. } => "stream.drop-readable",
        StreamDropWritable { .. } => "stream.drop-writable",
        FutureNew { .. } => "future.new",
        FutureRead { .. } => "future.read",
        FutureWrite { .. } => "future.write",
        FutureCancelRead { .. } => "future.cancel-read",
        FutureCancelWrite { .. } => "future.cancel-write",
        FutureDropReadable { .. } => "future.drop-readable",
        FutureDropWritable { .. } => "future.drop-writable",
        WaitableSetNew => "waitable-set.new",
        WaitableSetWait { .. } => "waitable-set.wait",
        WaitableSetPoll { .. } => "waitable-set.poll",
        WaitableSetDrop => "waitable-set.drop",
        WaitableJoin => "waitable.join",
        ThreadIndex => "thread.index",
        _ => "builtin",
    }
}
