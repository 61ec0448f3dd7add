// Shared by the browser suites: a static server of the repository on localhost, Debian's
// Chromium driven by playwright-core (Playwright's own browser download is not used) and Debian's
// Firefox ESR driven by puppeteer-core over WebDriver BiDi.
import { createServer } from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import { join, extname, normalize } from "node:path";
import { root } from "../scripts/lib.mjs";
import { ensureChromium, ensureFirefox } from "../scripts/toolchain.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm", ".png": "image/png",
  ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
};

/**
 * Serve `dir` (default: the repository root) on 127.0.0.1. `headers` are added to every response
 * (e.g. COOP/COEP for cross-origin isolation tests). Resolves to { url, close }.
 */
export function serveStatic({ dir = root, port = 0, headers = {} } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(dir)) return res.writeHead(403).end();
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-store", ...headers });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

/** Launch headless Chromium; Playwright gives each launch a fresh temporary profile. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: ensureChromium(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Launch headless Firefox ESR (puppeteer-core, WebDriver BiDi; a fresh temporary profile). Its
 * pages are given the two Playwright methods the suites use: `context()` (with `close()`) and
 * `on("pageerror")` (puppeteer's name for it is the same).
 */
export async function launchFirefox() {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({ browser: "firefox", protocol: "webDriverBiDi", executablePath: ensureFirefox(), headless: true });
  return {
    async newContext() {
      const context = await browser.createBrowserContext();
      return {
        close: () => context.close(),
        async newPage() {
          const page = await context.newPage();
          page.context = () => ({ close: () => context.close() });
          return page;
        },
      };
    },
    close: () => browser.close(),
  };
}
