// Cove's component runtime in browsers, on the main thread and in a Worker: the cases of
// tests/component-guests/cases.mjs (the same ones tests/component-guests.test.mjs runs in Node and
// tests/component-guests-jco.test.mjs checks against jco). Skipped, with the reason, while "cove"
// exports no instantiate (decided in the page). The cases also run under jco's transpiled output
// in each browser (not the 64 MiB ones: jco takes ~12 s for those), which checks the cases and
// this harness in every browser and thread independently of Cove. One more run serves the page
// with a Content-Security-Policy without 'unsafe-eval': Cove cannot compile its generated
// lift/lower code there and must give the same results through its table-driven path.
import { COMPONENTS } from "../tests/component-guests/cases.mjs";
import { serveStatic } from "./harness.mjs";
import { transpileWithJco } from "../tests/component-guests/jco.mjs";

export const browsers = ["chromium", "firefox"];

const NO_EVAL = { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'" };

async function runIn(ctx, { where, part, runtime, csp = false }) {
  if (runtime === "jco") for (const name of COMPONENTS) if (name !== "strings-latin1-utf16") await transpileWithJco(name);
  const server = csp ? await serveStatic({ headers: NO_EVAL }) : null;
  let page;
  if (server) {
    page = await (await ctx.browser.newContext()).newPage();
    await page.goto(`${server.url}/tests-browser/pages/blank.html`);
  } else {
    page = await ctx.page("/tests-browser/pages/index.html");
  }
  try {
    const r = await page.evaluate(async ({ where, part, runtime }) => {
      if (where === "page") return (await import("/tests-browser/pages/component-guests.js")).runComponentCases(part, runtime);
      const worker = new Worker(`/tests-browser/pages/component-guests-worker.js?part=${part}&runtime=${runtime}`, { type: "module" });
      try {
        return await new Promise((resolve, reject) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(`worker: ${e.message ?? "failed to load"}`));
        });
      } finally {
        worker.terminate();
      }
    }, { where, part, runtime });
    if (r.error) throw new Error(r.error);
    if (csp && r.evalAllowed) throw new Error("the page's CSP should have forbidden eval");
    const failed = r.results.filter((x) => !x.ok);
    for (const f of failed) console.log(`       FAIL ${f.name}\n         ${f.why.split("\n").join("\n         ")}`);
    if (!r.results.length) throw new Error("no cases ran");
    if (failed.length) throw new Error(`${failed.length} of ${r.results.length} component cases failed`);
    return `${r.results.length} cases`;
  } finally {
    await page.context().close();
    await server?.close();
  }
}

export default function ({ test }) {
  for (const where of ["page", "worker"]) {
    test(`Cove (${where}): every type both ways, resources, string encodings, names`, (ctx) => runIn(ctx, { where, part: "rest", runtime: "cove" }));
    test(`Cove (${where}): 64 MiB list<u8> both ways`, (ctx) => runIn(ctx, { where, part: "big", runtime: "cove" }));
    test(`jco 1.35 (${where}): the same cases but the 64 MiB ones`, (ctx) => runIn(ctx, { where, part: "rest", runtime: "jco" }));
    test(`Cove (${where}, CSP without 'unsafe-eval'): the same cases but the 64 MiB ones`,
      (ctx) => runIn(ctx, { where, part: "rest", runtime: "cove", csp: true }));
  }
}
