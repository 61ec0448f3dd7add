// `npm start`: builds whatever is missing (engine, guests, npm deps), then serves the playground
// (www/) on localhost and prints its URL. Runs until Ctrl-C.
//
//   node scripts/start.mjs [--port N] [--host ADDR] [--no-build]
//
// The page imports the package's browser build (/js/), the bundled example guests (/build/guests/)
// and xterm (/node_modules/@xterm/) straight from the repository, as plain ES modules — no bundler.
// Only those folders are served; everything else in the repository stays private.
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { parseArgs } from "node:util";
import { root, step } from "./lib.mjs";
import { buildAll } from "./build.mjs";

const SERVED = ["/www/", "/js/", "/build/guests/", "/node_modules/@xterm/"];

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".png": "image/png",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".map": "application/json", ".txt": "text/plain; charset=utf-8",
};

// Cross-origin isolation lets a guest's worker block on stdin with SharedArrayBuffer + Atomics.wait
// where JSPI is missing. Everything the page loads is same-origin, so it costs nothing here.
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
};

/** Resolve a request path to a file under the repository, or null when it is not served. */
function resolveRequest(pathname) {
  if (!SERVED.some((prefix) => pathname.startsWith(prefix) || pathname === prefix.slice(0, -1))) return null;
  const path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      const index = join(path, "index.html");
      return statSync(index).isFile() ? index : null;
    }
    return st.isFile() ? path : null;
  } catch {
    return null;
  }
}

/** Start the playground server; resolves to { url, close }. Port 0 picks a free port. */
export function servePlayground({ port = 8080, host = "127.0.0.1" } = {}) {
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      return res.writeHead(400).end("bad request");
    }
    if (pathname === "/" || pathname === "/www") return res.writeHead(302, { location: "/www/" }).end();
    if (pathname === "/favicon.ico") return res.writeHead(302, { location: "/www/favicon.svg" }).end();
    if (req.method !== "GET" && req.method !== "HEAD") return res.writeHead(405).end();
    const file = resolveRequest(pathname);
    if (!file) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      ...ISOLATION_HEADERS,
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const shownHost = host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host;
      resolve({ url: `http://${shownHost}:${actual}/`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) });
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "no-build": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm start -- [--port N] [--host ADDR] [--no-build]");
    return;
  }
  const requestedPort = values.port === undefined ? null : Number(values.port);
  if (requestedPort !== null && !(Number.isInteger(requestedPort) && requestedPort >= 0 && requestedPort < 65536)) {
    console.error(`--port: expected a port number, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  if (!values["no-build"]) {
    try {
      buildAll();
    } catch (e) {
      console.error(`build failed: ${e.message}`);
      process.exit(1);
    }
  }
  // An explicit --port must be honoured exactly; the default moves up when 8080 is taken.
  let server;
  for (let port = requestedPort ?? 8080; ; port++) {
    try {
      server = await servePlayground({ port, host: values.host });
      break;
    } catch (e) {
      if (e.code !== "EADDRINUSE" || requestedPort !== null || port >= 8099) {
        console.error(`cannot listen on ${values.host}:${port}: ${e.message}`);
        process.exit(1);
      }
    }
  }
  step(`Cove playground: ${server.url}`);
  console.log("Press Ctrl-C to stop.");
  const stop = () => server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
