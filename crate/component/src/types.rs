//! The value types and function signatures a compiled component's canonical-ABI functions use,
//! as a deduplicated table of descriptors (JSON objects) with their layouts (abi.rs) filled in.
//! JS reads them as data (the table-driven path) and codegen.rs turns them into trampolines.

use std::collections::HashMap;

use wasmparser::component_types::{
    ComponentDefinedType, ComponentFuncTypeId, ComponentValType, ResourceId,
};
use wasmparser::types::Types;
use wasmparser::PrimitiveValType;

use crate::abi::{self, Flat, Layout, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::json::{json_string, json_strings};
use crate::names::lower_camel;

/// One value type: its kind and what lifting/lowering it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Primitive(&'static str),
    List {
        element: usize,
        typed_array: Option<&'static str>,
    },
    /// `list<T, n>`: n elements in place (no pointer); in JS an Array of n.
    FixedList {
        element: usize,
        length: u32,
    },
    /// `map<K, V>`: in memory a list of `tuple<K, V>` (its element type); in JS a `Map`.
    Map(usize),
    Record(Vec<(String, usize, u32)>),
    Tuple(Vec<(usize, u32)>),
    /// `kind` is "variant", "option" or "result"; a case without payload has `None`.
    Variant {
        kind: &'static str,
        cases: Vec<(String, Option<usize>)>,
        payload_offset: u32,
    },
    Enum(Vec<String>),
    Flags(Vec<String>),
    /// `own` or `borrow` of the resource at this type index of the using component (None: the
    /// resource has no index there, so handles of it are not type-checked).
    Handle {
        own: bool,
        resource: Option<u32>,
    },
    Unsupported(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDesc {
    pub kind: Kind,
    pub layout: Layout,
}

/// A function signature with its flattened shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub params: Vec<(String, usize)>,
    pub result: Option<usize>,
    pub is_async: bool,
    /// Flat core parameter count; beyond MAX_FLAT_PARAMS they go through memory.
    pub flat_params: usize,
    pub flat_results: usize,
    pub param_offsets: Vec<u32>,
    pub params_layout: Layout,
}

impl Signature {
    pub fn params_spill(&self) -> bool {
        self.flat_params > MAX_FLAT_PARAMS
    }
    pub fn results_spill(&self) -> bool {
        self.flat_results > MAX_FLAT_RESULTS
    }
}

/// The table of every type and signature of a compiled component (all nesting levels).
#[derive(Default)]
pub struct TypeTable {
    pub types: Vec<TypeDesc>,
    index: HashMap<String, usize>,
    pub signatures: Vec<Signature>,
    sig_index: HashMap<String, usize>,
}

/// What a type's descriptor refers to in one component: its validator types and where its
/// resources sit in its type index space.
pub struct Scope<'a> {
    pub types: &'a Types,
    pub resources: &'a HashMap<ResourceId, u32>,
}

impl TypeTable {
    pub fn signature(&mut self, scope: &Scope<'_>, id: ComponentFuncTypeId) -> usize {
        let f = &scope.types[id];
        let params: Vec<(String, usize)> = f
            .params
            .iter()
            .map(|(n, t)| (n.to_string(), self.value(scope, *t)))
            .collect();
        let result = f.result.map(|t| self.value(scope, t));
        let layouts: Vec<&Layout> = params.iter().map(|(_, t)| &self.types[*t].layout).collect();
        let (param_offsets, params_layout) = abi::sequence(&layouts);
        let flat_results = result.map_or(0, |t| self.types[t].layout.flat.len());
        let sig = Signature {
            flat_params: params_layout.flat.len(),
            flat_results,
            params,
            result,
            is_async: f.async_,
            param_offsets,
            params_layout,
        };
        let key = signature_json(&sig);
        if let Some(&i) = self.sig_index.get(&key) {
            return i;
        }
        self.signatures.push(sig);
        self.sig_index.insert(key, self.signatures.len() - 1);
        self.signatures.len() - 1
    }

    fn intern(&mut self, desc: TypeDesc) -> usize {
        let key = type_json(&desc);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.types.push(desc);
        self.index.insert(key, self.types.len() - 1);
        self.types.len() - 1
    }

    fn layout(&self, t: usize) -> &Layout {
        &self.types[t].layout
    }

    pub fn value(&mut self, scope: &Scope<'_>, ty: ComponentValType) -> usize {
        let id = match ty {
            ComponentValType::Primitive(p) => return self.primitive(p),
            ComponentValType::Type(id) => id,
        };
        let desc = match &scope.types[id] {
            ComponentDefinedType::Primitive(p) => return self.primitive(*p),
            ComponentDefinedType::Record(r) => {
                let fields: Vec<(String, usize)> = r
                    .fields
                    .iter()
                    .map(|(n, t)| (n.to_string(), self.value(scope, *t)))
                    .collect();
                let layouts: Vec<&Layout> = fields.iter().map(|(_, t)| self.layout(*t)).collect();
                let (offsets, layout) = abi::sequence(&layouts);
                let fields = fields
                    .into_iter()
                    .zip(offsets)
                    .map(|((n, t), o)| (n, t, o))
                    .collect();
                TypeDesc {
                    kind: Kind::Record(fields),
                    layout,
                }
            }
            ComponentDefinedType::Tuple(t) => {
                let items: Vec<usize> = t.types.iter().map(|t| self.value(scope, *t)).collect();
                self.tuple(items)
            }
            ComponentDefinedType::Variant(v) => {
                let cases: Vec<(String, Option<usize>)> = v
                    .cases
                    .iter()
                    .map(|(n, c)| (n.to_string(), c.ty.map(|t| self.value(scope, t))))
                    .collect();
                self.variant("variant", cases)
            }
            ComponentDefinedType::Option { ty, .. } => {
                let some = self.value(scope, *ty);
                self.variant(
                    "option",
                    vec![("none".into(), None), ("some".into(), Some(some))],
                )
            }
            ComponentDefinedType::Result { ok, err, .. } => {
                let ok = ok.map(|t| self.value(scope, t));
                let err = err.map(|t| self.value(scope, t));
                self.variant("result", vec![("ok".into(), ok), ("err".into(), err)])
            }
            ComponentDefinedType::Enum(names) => {
                let size = abi::discriminant_size(names.len());
                TypeDesc {
                    kind: Kind::Enum(names.iter().map(|n| n.to_string()).collect()),
                    layout: Layout::scalar(size, Flat::I32),
                }
            }
            ComponentDefinedType::Flags(names) => TypeDesc {
                kind: Kind::Flags(names.iter().map(|n| n.to_string()).collect()),
                layout: abi::flags(names.len()),
            },
            ComponentDefinedType::List { element, .. } => {
                let typed_array = typed_array(*element);
                let element = self.value(scope, *element);
                TypeDesc {
                    kind: Kind::List {
                        element,
                        typed_array,
                    },
                    layout: Layout::pointer_pair(),
                }
            }
            ComponentDefinedType::Own(r) | ComponentDefinedType::Borrow(r) => TypeDesc {
                kind: Kind::Handle {
                    own: matches!(&scope.types[id], ComponentDefinedType::Own(_)),
                    resource: scope.resources.get(&r.resource()).copied(),
                },
                layout: Layout::scalar(4, Flat::I32),
            },
            ComponentDefinedType::FixedLengthList {
                element, length, ..
            } => {
                let element = self.value(scope, *element);
                TypeDesc {
                    kind: Kind::FixedList {
                        element,
                        length: *length,
                    },
                    layout: abi::fixed_list(self.layout(element), *length),
                }
            }
            ComponentDefinedType::Map { key, value, .. } => {
                let entry = vec![self.value(scope, *key), self.value(scope, *value)];
                let entry = self.tuple(entry);
                TypeDesc {
                    kind: Kind::Map(self.intern(entry)),
                    layout: Layout::pointer_pair(),
                }
            }
            ComponentDefinedType::Future { .. } => unsupported("future"),
            ComponentDefinedType::Stream { .. } => unsupported("stream"),
        };
        self.intern(desc)
    }

    fn tuple(&mut self, items: Vec<usize>) -> TypeDesc {
        let layouts: Vec<&Layout> = items.iter().map(|t| self.layout(*t)).collect();
        let (offsets, layout) = abi::sequence(&layouts);
        TypeDesc {
            kind: Kind::Tuple(items.into_iter().zip(offsets).collect()),
            layout,
        }
    }

    fn variant(&mut self, kind: &'static str, cases: Vec<(String, Option<usize>)>) -> TypeDesc {
        let layouts: Vec<Option<&Layout>> = cases
            .iter()
            .map(|(_, t)| t.map(|t| self.layout(t)))
            .collect();
        let (payload_offset, layout) = abi::variant(&layouts);
        TypeDesc {
            kind: Kind::Variant {
                kind,
                cases,
                payload_offset,
            },
            layout,
        }
    }

    fn primitive(&mut self, p: PrimitiveValType) -> usize {
        use PrimitiveValType::*;
        let (name, layout) = match p {
            Bool => ("bool", Layout::scalar(1, Flat::I32)),
            U8 => ("u8", Layout::scalar(1, Flat::I32)),
            S8 => ("s8", Layout::scalar(1, Flat::I32)),
            U16 => ("u16", Layout::scalar(2, Flat::I32)),
            S16 => ("s16", Layout::scalar(2, Flat::I32)),
            U32 => ("u32", Layout::scalar(4, Flat::I32)),
            S32 => ("s32", Layout::scalar(4, Flat::I32)),
            U64 => ("u64", Layout::scalar(8, Flat::I64)),
            S64 => ("s64", Layout::scalar(8, Flat::I64)),
            F32 => ("f32", Layout::scalar(4, Flat::F32)),
            F64 => ("f64", Layout::scalar(8, Flat::F64)),
            Char => ("char", Layout::scalar(4, Flat::I32)),
            String => ("string", Layout::pointer_pair()),
            ErrorContext => return self.intern(unsupported("error-context")),
        };
        self.intern(TypeDesc {
            kind: Kind::Primitive(name),
            layout,
        })
    }

    /// The table as JSON: `{"types":[…],"signatures":[…]}` members (without braces).
    pub fn to_json(&self) -> String {
        let mut out = String::from("\"types\":[");
        for (i, t) in self.types.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&type_json(t));
        }
        out.push_str("],\"signatures\":[");
        for (i, s) in self.signatures.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&signature_json(s));
        }
        out.push(']');
        out
    }
}

fn signature_json(s: &Signature) -> String {
    let params: Vec<String> = s
        .params
        .iter()
        .map(|(n, t)| format!("[{},{},{t}]", json_string(n), json_string(&lower_camel(n))))
        .collect();
    let offsets: Vec<String> = s.param_offsets.iter().map(u32::to_string).collect();
    format!(
        "{{\"params\":[{}],\"result\":{},\"async\":{},\"flatParams\":{},\"flatResults\":{},\"paramOffsets\":[{}],\"paramsSize\":{},\"paramsAlign\":{}}}",
        params.join(","),
        s.result.map_or(-1, |t| t as i64),
        s.is_async,
        s.flat_params,
        s.flat_results,
        offsets.join(","),
        s.params_layout.size,
        s.params_layout.align,
    )
}

fn unsupported(what: &'static str) -> TypeDesc {
    TypeDesc {
        kind: Kind::Unsupported(what),
        layout: Layout {
            size: 0,
            align: 1,
            flat: vec![],
        },
    }
}

fn type_json(t: &TypeDesc) -> String {
    let flat: Vec<&str> = t.layout.flat.iter().map(|f| f.name()).collect();
    let head = format!(
        "\"size\":{},\"align\":{},\"flat\":{}",
        t.layout.size,
        t.layout.align,
        json_strings(&flat)
    );
    let body = match &t.kind {
        Kind::Primitive(name) => format!("\"k\":\"{name}\""),
        Kind::List {
            element,
            typed_array,
        } => format!(
            "\"k\":\"list\",\"t\":{element},\"typed\":{}",
            typed_array.map_or("null".into(), json_string)
        ),
        Kind::FixedList { element, length } => {
            format!("\"k\":\"fixed-list\",\"t\":{element},\"n\":{length}")
        }
        Kind::Map(entry) => format!("\"k\":\"map\",\"t\":{entry}"),
        Kind::Record(fields) => {
            let f: Vec<String> = fields
                .iter()
                .map(|(n, t, o)| {
                    format!(
                        "[{},{},{t},{o}]",
                        json_string(n),
                        json_string(&lower_camel(n))
                    )
                })
                .collect();
            format!("\"k\":\"record\",\"fields\":[{}]", f.join(","))
        }
        Kind::Tuple(items) => {
            let f: Vec<String> = items.iter().map(|(t, o)| format!("[{t},{o}]")).collect();
            format!("\"k\":\"tuple\",\"items\":[{}]", f.join(","))
        }
        Kind::Variant {
            kind,
            cases,
            payload_offset,
        } => {
            let c: Vec<String> = cases
                .iter()
                .map(|(n, t)| format!("[{},{}]", json_string(n), t.map_or(-1, |t| t as i64)))
                .collect();
            format!(
                "\"k\":\"{kind}\",\"cases\":[{}],\"disc\":{},\"off\":{payload_offset}",
                c.join(","),
                abi::discriminant_size(cases.len())
            )
        }
        Kind::Enum(names) => format!(
            "\"k\":\"enum\",\"names\":{},\"disc\":{}",
            json_strings(names),
            abi::discriminant_size(names.len())
        ),
        Kind::Flags(names) => {
            let js: Vec<String> = names.iter().map(|n| lower_camel(n)).collect();
            format!(
                "\"k\":\"flags\",\"names\":{},\"js\":{}",
                json_strings(names),
                json_strings(&js)
            )
        }
        Kind::Handle { own, resource } => format!(
            "\"k\":\"{}\",\"r\":{}",
            if *own { "own" } else { "borrow" },
            resource.map_or(-1, i64::from)
        ),
        Kind::Unsupported(what) => format!("\"k\":\"unsupported\",\"what\":\"{what}\""),
    };
    format!("{{{body},{head}}}")
}

/// Numeric lists come out as typed arrays (docs/design.md's value table).
pub(crate) fn typed_array(element: ComponentValType) -> Option<&'static str> {
    use PrimitiveValType::*;
    let ComponentValType::Primitive(p) = element else {
        return None;
    };
    Some(match p {
        U8 => "Uint8Array",
        S8 => "Int8Array",
        U16 => "Uint16Array",
        S16 => "Int16Array",
        U32 => "Uint32Array",
        S32 => "Int32Array",
        U64 => "BigUint64Array",
        S64 => "BigInt64Array",
        F32 => "Float32Array",
        F64 => "Float64Array",
        _ => return None,
    })
}
