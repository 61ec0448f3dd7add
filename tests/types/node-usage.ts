// Type-checked by tests/types.test.mjs as a Node program ("node" export condition): the
// node:wasi drop-in and Node's extras compile.
import { instantiate, MemFS, NodeDirectory, run, StdinPipe, WASI, type Policy } from "cove";

declare const module: WebAssembly.Module; // (no @types/node here to read a file with)
const policy: Policy = { clock: "frozen", random: { seed: 1 }, limits: { openFiles: 64 } };
const wasi = new WASI({
  version: "preview1",
  args: ["hello"],
  env: { LANG: "C" },
  preopens: { "/data": "/tmp", "/mem": new MemFS({ "/a.txt": "a" }), "/dir": new NodeDirectory("/tmp", { readonly: true }) },
  stdin: new StdinPipe(),
  stdout: 1,
  stderr: (chunk: Uint8Array) => void chunk.length,
  policy,
});
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
const code: number = wasi.start(instance);
const result = await run(module, { args: ["hello"], fs: new MemFS() });
console.log(code, result.exitCode, result.stdout);
// A component's wasi:* imports served by Cove, from run()'s options or a WASI object.
declare const componentBytes: Uint8Array;
const { exports } = await instantiate(componentBytes, {}, { wasi: { args: ["a"], preopens: { "/": "/tmp" }, policy } });
await instantiate(componentBytes, { "wasi:cli/environment": { getArguments: () => ["x"] } }, { wasi: new WASI({ version: "preview1" }) });
console.log(exports);
