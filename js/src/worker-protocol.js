// The messages between a page (js/src/worker-client.js) and the Worker that runs a guest
// (js/src/worker.js). Everything crosses by structured clone; byte chunks are transferred.
//
// page → worker
//   { type: "start", engine, wasm, args, env, files, stdin, stdinOpen, blocking, stdinChannel, opfs, policy,
//     returnFiles, outputWindow, ackChannel, stubImports }
//       engine: the page's compiled engine WebAssembly.Module;
//       wasm: WebAssembly.Module | ArrayBuffer | URL string; files: a MemFS snapshot (snapshot.js)
//       mounted at "/"; stdin: bytes given up front; stdinOpen: more may come with "stdin"
//       messages; stdinChannel: a SharedArrayBuffer (blocking "sab") the page answers into;
//       opfs: { guestPath: OPFS directory name } mounted with the OPFS backend;
//       outputWindow: output bytes the page may be behind before fd_write waits (output-flow.js);
//       ackChannel: a SharedArrayBuffer the page adds consumed bytes to ("sab" mode);
//       stubImports: non-WASI function imports become functions that trap when called.
//   { type: "stdin", data: Uint8Array }    { type: "stdin-end" }
//   { type: "ack", bytes }                 the page consumed `bytes` more of the output
// worker → page
//   { type: "ready" }                      the Worker's modules loaded: messages sent
//                                          earlier would be lost, so the page holds them until now
//   { type: "started", blocking }          which blocking mode the worker chose (blocking.js)
//   { type: "stdout" | "stderr", data }    as the guest writes, in order
//   { type: "event", event }               a policy denial or trace line (parsed JSON)
//   { type: "stdin-request" }              "sab" mode: the worker sleeps until the page answers
//   { type: "exit", exitCode, files }      files: the final MemFS snapshot when returnFiles
//   { type: "error", message, stack, name } the guest trapped or could not start
export const START = "start", STDIN = "stdin", STDIN_END = "stdin-end", ACK = "ack";
export const READY = "ready", STARTED = "started", STDOUT = "stdout", STDERR = "stderr", EVENT = "event";
export const STDIN_REQUEST = "stdin-request", EXIT = "exit", ERROR = "error";
