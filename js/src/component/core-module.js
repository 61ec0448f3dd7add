// Compiling a component's core modules. The instantiation engine leaves core function bodies to
// the JS engine (docs/components.md, "Size"), so a body that does not validate surfaces here, as
// WebAssembly.Module's CompileError; it becomes a ComponentError naming the module's place in
// the component and the absolute byte offset, as validate() would.
import { failedAt } from "./engine-failure.js";

/** `module`: the plan's `[start, end, location]`; returns the compiled WebAssembly.Module. */
export function compileCoreModule(bytes, [start, end, location]) {
  try {
    return new WebAssembly.Module(bytes.subarray(start, end));
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    // V8 ends its message with "@+N", Firefox starts it with "at offset N:" (N from the module's
    // first byte); without either, the module's own offset.
    const message = e.message.replace(/^WebAssembly\.Module\(\): /, "");
    const within = /@\+(\d+)$/.exec(message) ?? /\bat offset (\d+)/.exec(message);
    throw failedAt(message, start + (within ? Number(within[1]) : 0), location);
  }
}
