// A tiny app that uses Cove the way a bundled web app would: `import ... from "cove"`, resolved
// by the bundler through package.json's "browser" condition. Runs a guest on the main thread and
// in a Worker and shows the results in the page (the bundle test reads window.result).
import { run, runInWorker, MemFS } from "cove";

async function main() {
  const wasm = await WebAssembly.compileStreaming(fetch("/build/guests/files.wasm"));
  const fs = new MemFS({ "/greeting.txt": "hello from a bundle" });
  const here = await run(wasm, { args: ["files", "cat", "/greeting.txt"], fs });
  const inWorker = await runInWorker(wasm, { args: ["files", "ls", "/"], fs });
  document.body.textContent = here.stdout;
  return { here, inWorker };
}

window.result = main().catch((e) => ({ error: `${e.name}: ${e.message}` }));
