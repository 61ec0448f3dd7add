// Type-checked by tests/types.test.mjs as a browser program ("browser" export condition): the
// common API plus Workers, IndexedDB snapshots and OPFS compile.
import { detectBlocking, instantiate, MemFS, openOPFS, run, saveMemFS, startWorker, WASI, type WorkerJob } from "cove";

const fs = new MemFS({ "/app/main.txt": "hello" });
const job: WorkerJob = startWorker(new URL("./hello.wasm", import.meta.url), { args: ["hello"], fs, stdin: { open: true } });
job.writeStdin("1+2\n");
job.endStdin();
const { exitCode } = await job.exited;
const result = await run("hello.wasm", { worker: true, fs });
await saveMemFS(fs, "snapshot");
const opfs = await openOPFS("data");
const wasi = new WASI({ version: "preview1", preopens: { "/data": opfs }, stdout: (chunk) => void chunk });
console.log(exitCode, result.stdout, detectBlocking(), wasi);
// A command component runs in a Worker like a module; instantiate() serves its wasi:* imports.
const component = await run(new URL("./hello.p2.wasm", import.meta.url), { worker: true, fs, args: ["hello"] });
const { exports } = await instantiate(new Uint8Array(8), {}, { wasi: { fs, blocking: "jspi" } });
console.log(component.exitCode, exports);
