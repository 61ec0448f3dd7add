// Compiling a .wasm fetched from a URL (browsers, Workers): streaming where the server sends the
// application/wasm MIME type, which WebAssembly.compileStreaming needs; from the bytes otherwise.

export async function compileWasmAt(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}
