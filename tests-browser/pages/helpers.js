// In-page helpers shared by the browser suites (loaded by index.html as window.helpers).
const decoder = new TextDecoder();

/** Fetch a guest built by tests/guests (build/guests/NAME.wasm) and compile it once. */
const modules = new Map();
export function guest(name) {
  if (!modules.has(name)) modules.set(name, WebAssembly.compileStreaming(fetch(`/build/guests/${name}.wasm`)));
  return modules.get(name);
}

/** Collects output chunks in order, tagged by stream, and decodes them. */
export function recorder() {
  const events = [];
  return {
    events,
    stdout: (c) => events.push(["stdout", decoder.decode(c)]),
    stderr: (c) => events.push(["stderr", decoder.decode(c)]),
    text: (stream) => events.filter(([s]) => s === stream).map(([, t]) => t).join(""),
    /** Resolves once `stream` has produced text containing `needle` (a hang becomes an error naming it). */
    async waitFor(stream, needle, patienceMs = 20_000) {
      const since = Date.now();
      while (!this.text(stream).includes(needle)) {
        if (Date.now() - since > patienceMs) {
          throw new Error(`no ${JSON.stringify(needle)} on ${stream}; so far: ${JSON.stringify(events)}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}
