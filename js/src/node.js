// The Node entry of "cove" (package.json exports, "node" condition). Loads the engine
// synchronously at import time and installs Node's platform hooks: real fds for stdio, host
// directories as preopens (nodefs.js), process exit, the host environment for the policy's
// allow-list.
import { readFileSync, writeSync, readSync } from "node:fs";
import { isatty } from "node:tty";
import { loadEngine, setFullEngineSource } from "./engine.js";
import { setPlatform } from "./wasi.js";
import { NodeDirectory } from "./nodefs.js";
import { setComponentEngineSources } from "./component/lazy.js";

loadEngine(new WebAssembly.Module(readFileSync(new URL("../engine/cove_wasm_bg.wasm", import.meta.url))));

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

setPlatform({
  name: "node",
  defaultStdio: { stdin: 0, stdout: 1, stderr: 2 },
  writeFd(fd, bytes) {
    for (let off = 0; off < bytes.length;) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (e.code !== "EAGAIN") throw e;
        Atomics.wait(sleepCell, 0, 0, 1); // a non-blocking pipe is full: let the reader catch up
      }
    }
  },
  readFd(fd, buffer, offset, length) {
    for (;;) {
      try {
        return readSync(fd, buffer, offset, length, null);
      } catch (e) {
        if (e.code === "EOF") return 0;
        if (e.code !== "EAGAIN") throw e;
        Atomics.wait(sleepCell, 0, 0, 5); // non-blocking stdin (a TTY in raw mode, say): wait for input
      }
    }
  },
  isTerminal: (fd) => isatty(fd),
  hostDirectories: true,
  hostDirectory: (path, readonly) => new NodeDirectory(path, { readonly }),
  exit: (code) => process.exit(code),
  traceSink: (line) => writeSync(2, line + "\n"),
  hostEnv: () => Object.entries(process.env),
});

// The component engines are artifacts of their own, each read on first use (docs/components.md).
setComponentEngineSources({
  instantiate: () => readFileSync(new URL("../engine/cove_component_wasm_bg.wasm", import.meta.url)),
  validator: () => readFileSync(new URL("../engine/cove_component_validator_wasm_bg.wasm", import.meta.url)),
});
// The full engine (p1 + the WASI 0.2 host), read when a component first needs WASI (docs/engine-abi.md "Two engines").
setFullEngineSource(async () => new WebAssembly.Module(readFileSync(new URL("../engine/cove_wasm_p2_bg.wasm", import.meta.url))));

export { WASI } from "./wasi.js";
export { MemFS } from "./memfs.js";
export { run } from "./run.js";
export { NodeDirectory } from "./nodefs.js";
// With blocking "jspi" (Node 24+), stdin the embedder writes while the guest waits for it.
export { StdinPipe } from "./blocking.js";
export { validate, compileComponent, instantiate, ComponentError } from "./component/lazy.js";
