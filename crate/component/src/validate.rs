//! `validate`: parse and validate a whole component with wasmparser, naming where an error lies.
//!
//! wasmparser yields the payloads of nested modules and components inline, between the outer
//! section that holds them and a matching `End`, so a stack of "where am I" labels follows the
//! nesting. Function bodies are validated as they arrive (not deferred, as
//! `Validator::validate_all` does) so an error in one is reported with its own location.

use wasmparser::types::Types;
use wasmparser::{
    Encoding, FuncValidatorAllocations, Parser, Payload, ValidPayload, Validator, WasmFeatures,
};

use crate::error::ComponentError;
use crate::features::engine_features;

/// What validation learnt about a valid component (grows as the engine does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// Core modules, at any depth.
    pub core_modules: usize,
    /// Nested components, not counting the outermost.
    pub nested_components: usize,
}

/// One level of nesting: its label, and how many modules/components it has held so far (their
/// labels number them in order, as the binary does).
struct Level {
    label: String,
    modules: usize,
    components: usize,
    code_entries: usize,
}

impl Level {
    fn new(label: String) -> Self {
        Level {
            label,
            modules: 0,
            components: 0,
            code_entries: 0,
        }
    }
}

/// Validates `bytes` as a component with the features of [`engine_features`].
pub fn validate(bytes: &[u8]) -> Result<Validated, ComponentError> {
    validate_with::<FUNCTION_BODIES>(bytes, engine_features(), |_, _| {})
        .map(|(summary, _)| summary)
}

/// `validate_with`'s const parameter: validate every core function body too (`validate`, `cove
/// types`)…
pub(crate) const FUNCTION_BODIES: bool = true;
/// …or everything but them (`compile`): the JS engine validates each core module's code when it
/// compiles it, and leaving wasmparser's operator validator out of the artifact that
/// instantiates is most of what keeps it small (docs/components.md, "Size").
pub(crate) const NOT_FUNCTION_BODIES: bool = false;

/// What `validate_with` shows its visitor: a payload; the location of a nested module or
/// component just entered (after its section's payload), as errors name it ("component > core
/// module 0"); or the types of a module or component whose end was reached.
pub(crate) enum Visit<'p, 'a> {
    Payload(&'p Payload<'a>),
    Entered(&'p str),
    End(&'p Types),
}

/// Validates `bytes`, showing `visit` every valid payload with its nesting depth (0 for the
/// outermost component's own sections) and every module's and component's types at its end;
/// returns the outermost component's types.
pub(crate) fn validate_with<const VALIDATE_FUNCTION_BODIES: bool>(
    bytes: &[u8],
    features: WasmFeatures,
    mut visit: impl FnMut(usize, Visit<'_, '_>),
) -> Result<(Validated, Types), ComponentError> {
    let mut validator = Validator::new_with_features(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    let mut levels: Vec<Level> = vec![Level::new("component".into())];
    let mut section = String::from("preamble");
    let mut allocs = FuncValidatorAllocations::default();
    let mut summary = Validated {
        core_modules: 0,
        nested_components: 0,
    };
    let mut top_types = None;

    let located =
        |levels: &[Level], section: &str, e: wasmparser::BinaryReaderError| ComponentError {
            message: e.message().to_string(),
            offset: usize::try_from(e.offset()).unwrap_or(usize::MAX),
            section: location(levels, section),
        };

    for payload in parser.parse_all(bytes) {
        let payload = match payload {
            Ok(p) => p,
            // The parser failed to read the next section header (or the preamble): name the
            // last section read, since the error lies just after it.
            Err(e) => {
                let after = if section == "preamble" {
                    section.clone()
                } else {
                    format!("after {section}")
                };
                return Err(located(&levels, &after, e));
            }
        };
        section = section_name(
            &payload,
            levels.last_mut().expect("outermost level is never popped"),
        );
        if let Payload::Version {
            encoding: Encoding::Module,
            ..
        } = payload
        {
            if levels.len() == 1 {
                return Err(ComponentError {
                    message: "expected a component, found a core module (use WebAssembly.compile for modules)".into(),
                    offset: 4,
                    section: "component > preamble".into(),
                });
            }
        }
        let valid = validator
            .payload(&payload)
            .map_err(|e| located(&levels, &section, e))?;
        visit(levels.len() - 1, Visit::Payload(&payload));
        match (&payload, valid) {
            (_, ValidPayload::Func(func, body)) if VALIDATE_FUNCTION_BODIES => {
                let mut func_validator = func.into_validator(allocs);
                func_validator
                    .validate(&body)
                    .map_err(|e| located(&levels, &section, e))?;
                allocs = func_validator.into_allocations();
            }
            (Payload::ModuleSection { .. } | Payload::ComponentSection { .. }, _) => {
                let is_module = matches!(payload, Payload::ModuleSection { .. });
                let level = levels.last_mut().expect("outermost level is never popped");
                let (kind, seen, total) = if is_module {
                    ("core module", &mut level.modules, &mut summary.core_modules)
                } else {
                    (
                        "component",
                        &mut level.components,
                        &mut summary.nested_components,
                    )
                };
                let label = format!("{kind} {seen}");
                *seen += 1;
                *total += 1;
                levels.push(Level::new(label));
                visit(levels.len() - 1, Visit::Entered(&location(&levels, "")));
            }
            (_, ValidPayload::End(types)) => {
                visit(levels.len() - 1, Visit::End(&types));
                if levels.len() == 1 {
                    top_types = Some(types);
                } else {
                    levels.pop();
                }
            }
            _ => {}
        }
    }
    // parse_all stops at the end of the bytes; a binary cut off exactly at a section boundary
    // of a nested module never reaches its End.
    let Some(types) = top_types else {
        return Err(ComponentError {
            message: "unexpected end-of-file".into(),
            offset: bytes.len(),
            section: location(&levels, &section),
        });
    };
    Ok((summary, types))
}

/// "component > core module 0 > code section": the nesting, outermost first, then the section
/// (if any).
fn location(levels: &[Level], section: &str) -> String {
    let mut path: Vec<&str> = levels.iter().map(|l| l.label.as_str()).collect();
    if !section.is_empty() {
        path.push(section);
    }
    path.join(" > ")
}

/// A human name for the section a payload came from ("code section, function 3").
fn section_name(payload: &Payload<'_>, level: &mut Level) -> String {
    let name = match payload {
        Payload::Version { .. } => "preamble",
        Payload::TypeSection(_) => "type section",
        Payload::ImportSection(_) => "import section",
        Payload::FunctionSection(_) => "function section",
        Payload::TableSection(_) => "table section",
        Payload::MemorySection(_) => "memory section",
        Payload::TagSection(_) => "tag section",
        Payload::GlobalSection(_) => "global section",
        Payload::ExportSection(_) => "export section",
        Payload::StartSection { .. } => "start section",
        Payload::ElementSection(_) => "element section",
        Payload::DataCountSection { .. } => "data count section",
        Payload::DataSection(_) => "data section",
        Payload::CodeSectionStart { .. } => "code section",
        Payload::CodeSectionEntry(_) => {
            let index = level.code_entries;
            level.code_entries += 1;
            return format!("code section, function body {index}");
        }
        Payload::ModuleSection { .. } => "core module section",
        Payload::InstanceSection(_) => "core instance section",
        Payload::CoreTypeSection(_) => "core type section",
        Payload::ComponentSection { .. } => "component section",
        Payload::ComponentInstanceSection(_) => "component instance section",
        Payload::ComponentAliasSection(_) => "alias section",
        Payload::ComponentTypeSection(_) => "component type section",
        Payload::ComponentCanonicalSection(_) => "canonical function section",
        Payload::ComponentStartSection { .. } => "component start section",
        Payload::ComponentImportSection(_) => "component import section",
        Payload::ComponentExportSection(_) => "component export section",
        Payload::CustomSection(reader) => return format!("custom section \"{}\"", reader.name()),
        Payload::UnknownSection { id, .. } => return format!("unknown section {id}"),
        Payload::End(_) => "end",
        _ => "section",
    };
    name.to_string()
}
