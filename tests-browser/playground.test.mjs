// End-to-end tests of the playground (www/) in Chromium: what a person does with it — load the
// examples, type into the terminal, upload a file and read it from a guest, see a denial, stop a
// runaway guest, save files across a reload. Run: `node --test tests-browser/playground.test.mjs`
// (tests-browser/run.mjs runs it too). Screenshots go to tests-browser/.out/ for a human to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic, launchChromium } from "./harness.mjs";
import { root } from "../scripts/lib.mjs";
import { servePlayground } from "../scripts/start.mjs";
import { printer, foreignImports, LINE } from "./wat-guests.mjs";

const OUT = join(root, "tests-browser", ".out");
const WAIT = { timeout: 30_000 }; // generous: a loaded CI machine is slow, and nothing here is timed

let server, browser;
const results = { passed: 0, failed: 0 };

before(async () => {
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.startsWith("FAILED-")) rmSync(join(OUT, f)); // from an earlier run
  [server, browser] = await Promise.all([serveStatic(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  // tests-browser/run.mjs counts this line
  console.log(`playground: ${results.passed} passed, ${results.failed} failed`);
});

/**
 * A test with a fresh browser context (its own IndexedDB) and page; it also fails when the page
 * throws, and leaves a FAILED-*.png screenshot behind when it fails.
 */
function scenario(name, fn, { viewport = { width: 1400, height: 860 } } = {}) {
  test(name, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await fn(page, context);
      assert.deepEqual(errors, [], "the page threw");
      results.passed++;
    } catch (e) {
      results.failed++;
      const stem = join(OUT, `FAILED-${name.replace(/\W+/g, "-")}`);
      await page.screenshot({ path: `${stem}.png` }).catch(() => {});
      writeFileSync(`${stem}.txt`, `${e.stack ?? e}\n\npage errors: ${JSON.stringify(errors)}\n`);
      throw e;
    } finally {
      await context.close();
    }
  });
}

async function open(page, hash = "", base = `${server.url}/www/`) {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector("body[data-ready=true]", WAIT);
}

/** Every line of the terminal, scrollback included, as text. */
function terminalLines(page) {
  return page.evaluate(() => {
    const buffer = window.playground.terminal.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
    return lines;
  });
}

/** Wait until some terminal line satisfies `match` (a string: equal after trimming the end). */
async function waitForLine(page, match, what = String(match)) {
  const predicate = typeof match === "string" ? (l) => l.trimEnd() === match.trimEnd() : (l) => match.test(l);
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const lines = await terminalLines(page);
    if (lines.some(predicate)) return lines;
    if (Date.now() > deadline) assert.fail(`terminal never showed ${what}; it shows:\n${lines.filter(Boolean).join("\n")}`);
    await page.waitForTimeout(50);
  }
}

async function loadExample(page, id) {
  await page.click(`.chip[data-example=${id}]`);
  await page.waitForFunction((id) => window.playground.state.module?.name === `${id}.wasm`, id, WAIT);
}

async function setArgs(page, args) {
  await page.fill("#args", args);
}

async function runToExit(page) {
  await page.click("#run");
  await page.waitForFunction(() => ["ok", "failed"].includes(document.getElementById("status").dataset.state), null, WAIT);
  return page.textContent("#exit-code");
}

async function treePaths(page) {
  return page.$$eval("#tree [data-path]", (items) => items.map((li) => li.dataset.path));
}

/** Click a button that opens a file chooser, and choose `files` in it. */
async function pickFiles(page, button, files) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser", WAIT), page.click(button)]);
  await chooser.setFiles(files);
}

function shot(page, name) {
  return page.screenshot({ path: join(OUT, `playground-${name}.png`) });
}

// A module whose _start loops forever: (func (export "_start") (loop (br 0))) plus a memory.
const RUNAWAY = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
  0x03, 0x02, 0x01, 0x00, // func 0 has type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory, 1 page
  0x07, 0x13, 0x02, 0x06, ..."_start".split("").map((c) => c.charCodeAt(0)), 0x00, 0x00,
  0x06, ..."memory".split("").map((c) => c.charCodeAt(0)), 0x02, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, // loop { br 0 }
]);

scenario("hello runs with the arguments and environment from the fields", async (page) => {
  await open(page, "#hello");
  assert.match(await page.textContent("#module-name"), /^hello\.wasm/);
  await setArgs(page, `one "two words"`);
  await page.fill("#env", "GREETING=hi there");
  assert.equal(await runToExit(page), "0");
  const lines = await waitForLine(page, "Hello from Cove!");
  assert.ok(lines.includes("arg 0: hello"), "argv[0] is the module's name");
  assert.ok(lines.includes("arg 1: one"));
  assert.ok(lines.includes("arg 2: two words"), "quotes group words, as in a shell");
  assert.ok(lines.includes("env GREETING=hi there"));
  assert.match(await page.textContent("#run-time"), /\d (µs|ms|s)$/);
  await shot(page, "hello");
});

scenario("every bundled example loads and runs to exit 0", async (page) => {
  await open(page);
  const ids = await page.$$eval(".chip[data-example]", (chips) => chips.map((c) => c.dataset.example));
  assert.deepEqual(ids.slice(0, 3), ["hello", "repl", "files"]);
  for (const id of ids) {
    await loadExample(page, id);
    if (id === "sleep") await setArgs(page, "10");
    await page.click("#run");
    if (id === "repl") {
      await waitForLine(page, "> ");
      await page.click("#terminal");
      await page.keyboard.press("Control+D"); // EOF ends it
    }
    await page.waitForFunction(() => document.getElementById("status").dataset.state !== "running", null, WAIT);
    assert.equal(await page.textContent("#exit-code"), "0", `${id} exits 0`);
  }
});

scenario("clock & random: the Deterministic policy makes runs identical", async (page) => {
  await open(page, "#clock_random");
  const output = async () => {
    await page.click("#clear-term");
    assert.equal(await runToExit(page), "0");
    const lines = await waitForLine(page, /^random8: [0-9a-f]{16}$/, "random8");
    return lines.filter((l) => /^(realtime|monotonic|random16|random8): /.test(l)).join("\n");
  };
  const [first, second] = [await output(), await output()];
  assert.notEqual(first, second, "real clocks and crypto random differ between runs");
  await page.selectOption("#policy-preset", { label: "Deterministic" });
  await page.waitForFunction(() => document.getElementById("policy").value.includes('"frozen"'));
  const [third, fourth] = [await output(), await output()];
  assert.equal(third, fourth);
  assert.match(third, /^realtime: 0$/m, "a frozen clock reads the epoch");
});

scenario("repl answers lines typed into the terminal, and ends at Ctrl-D", async (page) => {
  await open(page);
  await loadExample(page, "repl");
  await page.click("#run");
  await waitForLine(page, "> ", 'the prompt "> "');
  await page.click("#terminal");
  await page.keyboard.type("1+2");
  await page.keyboard.press("Enter");
  await waitForLine(page, "3");
  // the line is edited locally before it is sent: a typo fixed, a bracket added at the start
  await page.keyboard.type("3+4)x");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Home");
  await page.keyboard.type("6*(");
  await page.keyboard.press("Enter");
  const lines = await waitForLine(page, "42");
  assert.ok(lines.some((l) => l.startsWith("> 1+2")), "typed input is echoed after the prompt");
  assert.ok(lines.some((l) => l.startsWith("> 6*(3+4)")), "the edited line is what was sent");
  await page.keyboard.type("2/0");
  await page.keyboard.press("Enter");
  await waitForLine(page, "error: division by zero");
  assert.equal(await page.textContent("#status-text"), "running", "the guest waits for more input");
  await shot(page, "repl");
  await page.keyboard.press("Control+D");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "ok", null, WAIT);
  assert.equal(await page.textContent("#exit-code"), "0");
});

scenario("files lists the virtual filesystem, writes into it, and its file downloads", async (page) => {
  await open(page);
  await loadExample(page, "files");
  assert.equal(await page.inputValue("#args"), "tree /");
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, /── README\.txt$/, "README.txt in the tree");
  await waitForLine(page, /── notes\.txt$/, "notes.txt in the tree");
  await setArgs(page, "write /data/made-by-guest.txt 'written by a guest'");
  assert.equal(await runToExit(page), "0");
  await page.waitForSelector('#tree [data-path="/data/made-by-guest.txt"]', WAIT);
  const written = await page.evaluate(() => new TextDecoder().decode(window.playground.state.fs.readFile("/data/made-by-guest.txt")));
  assert.equal(written, "written by a guest");
  await shot(page, "files");
  // and the file the guest wrote can be downloaded
  const row = page.locator('#tree [data-path="/data/made-by-guest.txt"] .row');
  await row.hover();
  const [download] = await Promise.all([page.waitForEvent("download", WAIT), row.locator('button[title^="Download"]').click()]);
  assert.equal(download.suggestedFilename(), "made-by-guest.txt");
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  assert.equal(Buffer.concat(chunks).toString(), "written by a guest");
});

scenario("a read-only policy denies a write and the denial is listed; log all lists accesses", async (page) => {
  await open(page);
  await loadExample(page, "files");
  await page.selectOption("#policy-preset", { label: "Read-only /" });
  await page.waitForFunction(() => document.getElementById("policy").value.includes('"ro"'));
  await setArgs(page, "write /data/blocked.txt nope");
  assert.equal(await runToExit(page), "1");
  await waitForLine(page, /^files: write \/data\/blocked\.txt: /, "the guest's error message");
  const denial = await page.waitForSelector("#events li.denied", WAIT);
  assert.match(await denial.textContent(), /blocked\.txt/);
  assert.notEqual(await page.textContent("#denial-count"), "0");
  assert.ok(!(await treePaths(page)).includes("/data/blocked.txt"), "nothing was written");
  await shot(page, "denied");
  // With "log": "all" the allowed accesses are listed too, and the denial count starts again.
  await page.selectOption("#policy-preset", { label: "Log every access" });
  await page.waitForFunction(() => document.getElementById("policy").value.includes('"all"'));
  await setArgs(page, "cat /data/notes.txt");
  assert.equal(await runToExit(page), "0");
  const access = await page.waitForSelector("#events li.access", WAIT);
  assert.match(await access.textContent(), /notes\.txt/);
  assert.equal(await page.textContent("#denial-count"), "0");
});

scenario("the policy editor reports bad JSON and keys the engine rejects", async (page) => {
  await open(page);
  await page.fill("#policy", '{ "mounts": [ }');
  await page.waitForSelector("#policy-status.error", WAIT);
  assert.match(await page.textContent("#policy-status"), /JSON/);
  assert.ok(await page.isDisabled("#run"), "cannot run with a broken policy");
  await page.fill("#policy", '{ "mounts": [], "colour": "blue" }');
  await page.waitForFunction(() => /colour/.test(document.getElementById("policy-status").textContent), null, WAIT);
  assert.ok(await page.isDisabled("#run"));
  await shot(page, "policy-error");
  await page.selectOption("#policy-preset", { label: "Read-write /" });
  await page.waitForFunction(() => !document.getElementById("run").disabled, null, WAIT);
  assert.match(await page.textContent("#policy-status"), /valid/);
});

scenario("an uploaded file is read by a guest and, saved as it changes, survives a reload (as do the fields)", async (page) => {
  await open(page);
  await pickFiles(page, "#upload-button", { name: "upload.txt", mimeType: "text/plain", buffer: Buffer.from("uploaded ✓ line one\nline two\n") });
  await page.waitForSelector('#tree [data-path="/upload.txt"]', WAIT);
  await loadExample(page, "files");
  await setArgs(page, "cat /upload.txt");
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, "uploaded ✓ line one");
  await waitForLine(page, "line two");
  await shot(page, "upload");

  await page.waitForFunction(() => /saved in this browser/.test(document.getElementById("autosave").textContent), null, WAIT);
  await page.fill("#env", "KEPT=yes");
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", WAIT);
  await page.waitForSelector('#tree [data-path="/upload.txt"]', WAIT);
  const text = await page.evaluate(() => window.playground.state.fs.readFile("/upload.txt", "utf8"));
  assert.equal(text, "uploaded ✓ line one\nline two\n");
  assert.equal(await page.inputValue("#env"), "KEPT=yes", "the environment field is remembered too");
});

scenario("a .wasm dropped on the page is loaded and run", async (page) => {
  await open(page);
  await page.evaluate(async () => {
    const data = new DataTransfer();
    data.items.add(new File([await (await fetch("/build/guests/hello.wasm")).blob()], "dropped.wasm"));
    document.querySelector(".term").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => window.playground.state.module?.name === "dropped.wasm", null, WAIT);
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, "arg 0: dropped");
});

scenario("a module loaded by URL runs, and its trap is reported", async (page) => {
  await open(page);
  await page.fill("#wasm-url", `${server.url}/build/guests/trap.wasm`);
  await page.click("#url-form button[type=submit]");
  await page.waitForFunction(() => window.playground.state.module?.name === "trap.wasm", null, WAIT);
  await setArgs(page, "panic");
  assert.equal(await runToExit(page), "134", "a trap exits 134, as the CLI reports it");
  assert.equal(await page.textContent("#status-text"), "trapped");
  await waitForLine(page, "cove test panic: the guest gave up");
  await waitForLine(page, /^✕ trap: /, "the trap message");
  await shot(page, "trap");
});

scenario("a runaway guest can be stopped (Stop, Ctrl-C), and the page stays responsive meanwhile", async (page) => {
  await open(page);
  await pickFiles(page, "#open-wasm", { name: "spin.wasm", mimeType: "application/wasm", buffer: Buffer.from(RUNAWAY) });
  await page.waitForFunction(() => window.playground.state.module?.name === "spin.wasm", null, WAIT);
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "running", null, WAIT);
  // The guest spins in its Worker; the page still answers, and its fields still take input.
  assert.equal(await page.evaluate(() => 6 * 7), 42);
  await page.fill("#args", "still typing");
  assert.equal(await page.inputValue("#args"), "still typing");
  await shot(page, "running");
  await page.click("#stop");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "stopped", null, WAIT);
  assert.ok(await page.isDisabled("#stop"));
  await waitForLine(page, /stopped/);
  // Ctrl-C in the terminal stops it too.
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "running", null, WAIT);
  await page.click("#terminal");
  await page.keyboard.press("Control+C");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "stopped", null, WAIT);
  await waitForLine(page, "^C");
  // And the next run works.
  await loadExample(page, "hello");
  await setArgs(page, "");
  assert.equal(await runToExit(page), "0");
});

scenario("files made and edited in the Files panel reach the guest", async (page) => {
  await open(page);
  // edit an existing file
  await page.click('#tree [data-path="/README.txt"] .row');
  await page.waitForSelector("#editor[open]", WAIT);
  await page.fill("#editor-text", "edited in the playground\n");
  await shot(page, "editor");
  await page.click("#editor-save");
  await page.waitForFunction(() => !document.getElementById("editor").open, null, WAIT);
  // and make a new one in a folder
  await page.click('#tree [data-path="/data"] .row'); // select the folder (and fold it)
  await page.click("#new-file");
  await page.fill("#new-entry-name", "todo.md");
  await page.press("#new-entry-name", "Enter");
  await page.waitForSelector("#editor[open]", WAIT);
  assert.equal(await page.textContent("#editor-path"), "/data/todo.md");
  await page.fill("#editor-text", "- [x] make a file in the browser\n");
  await page.click("#editor-save");
  await loadExample(page, "files");
  await setArgs(page, "cat /data/todo.md");
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, "- [x] make a file in the browser");
  await setArgs(page, "cat /README.txt");
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, "edited in the playground");
});

scenario("the layout folds to one column on a phone", async (page) => {
  await open(page, "#repl");
  const term = await page.locator(".term").boundingBox();
  const files = await page.locator(".files").boundingBox();
  assert.ok(term.y < files.y, "the terminal comes first");
  assert.ok(term.width > 350, "and spans the screen");
  await shot(page, "phone");
}, { viewport: { width: 390, height: 844 } });

scenario("`npm start` serves the playground: only what it needs, cross-origin isolated", async (page) => {
  const started = await servePlayground({ port: 0 });
  try {
    await open(page, "#hello", started.url); // "/" redirects to /www/
    assert.equal(new URL(page.url()).pathname, "/www/");
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "COOP/COEP: SharedArrayBuffer stdin works where JSPI does not");
    assert.equal(await runToExit(page), "0");
    await waitForLine(page, "Hello from Cove!");
    for (const path of ["/package.json", "/scripts/start.mjs", "/www/../package.json", "/www/%2e%2e/package.json", "/.git/HEAD"]) {
      const status = await page.evaluate((p) => fetch(p).then((r) => r.status), path);
      assert.equal(status, 404, `${path} is not served`);
    }
  } finally {
    await started.close();
  }
});

/** Load `bytes` as the module through the Open .wasm… button. */
async function openModule(page, name, bytes) {
  await pickFiles(page, "#open-wasm", { name, mimeType: "application/wasm", buffer: Buffer.from(bytes) });
  await page.waitForFunction((n) => window.playground.state.module?.name === n, name, WAIT);
}

scenario("an endless printer: the terminal keeps up, scrollback and memory stay bounded, Stop lands", async (page) => {
  await open(page);
  await openModule(page, "endless.wasm", printer(0));
  await page.click("#run");
  // Past the scrollback: the banner offers the full output, and the terminal holds no more lines.
  await page.waitForSelector("#truncated:not([hidden])", WAIT);
  await page.waitForFunction(() => window.playground.state.output.total > 2 * 1024 * 1024, null, WAIT);
  const bounded = await page.evaluate(() => {
    const { terminal, state } = window.playground;
    return { lines: terminal.term.buffer.active.length, rows: terminal.term.rows, retained: state.output.retained, cap: state.output.headBytes + state.output.tailBytes };
  });
  assert.ok(bounded.lines <= 5000 + bounded.rows, `the terminal keeps at most its scrollback: ${bounded.lines} lines`);
  assert.ok(bounded.retained <= bounded.cap, "the kept output is bounded");
  await waitForLine(page, LINE.trimEnd());
  // The page answers and a click on Stop lands while the guest still prints.
  assert.equal(await page.evaluate(() => document.getElementById("status").dataset.state), "running");
  await page.fill("#args", "typed while it prints");
  await shot(page, "endless");
  await page.click("#stop");
  await page.waitForFunction(() => document.getElementById("status").dataset.state === "stopped", null, WAIT);
  assert.equal(await page.textContent("#status-text"), "stopped");
  await waitForLine(page, /■ stopped/);
  // The full output (bounded) downloads, its start included.
  const [download] = await Promise.all([page.waitForEvent("download", WAIT), page.click("#download-full")]);
  assert.equal(download.suggestedFilename(), "endless-output.txt");
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString();
  assert.ok(text.startsWith(LINE + LINE), "the download starts where the run started");
  assert.ok(text.length > 2 * 1024 * 1024);
});

scenario("a module with imports WASI lacks is described, and runs with stubs that trap when called", async (page) => {
  await open(page);
  await openModule(page, "foreign.wasm", foreignImports());
  const summary = await page.textContent("#module-summary");
  assert.match(summary, /imports 2 functions WASI does not define: env\.js_eval, env\.js_log/);
  assert.ok(await page.isDisabled("#run"), "not runnable until stubs are chosen");
  assert.match(await page.textContent("#run-reason"), /Run with stubs/);
  await page.check("#stub-imports");
  await setArgs(page, "");
  assert.equal(await runToExit(page), "0", "a program that never calls them runs");
  await waitForLine(page, "ran without calling env.js_log");
  await setArgs(page, "call-it");
  assert.equal(await runToExit(page), "134", "calling a stub traps");
  await waitForLine(page, /trap: .*env\.js_log/, "the trap names the stub");
});

scenario("a WASI 0.2 component runs as a command; relative URLs load; CORS failures are explained", async (page) => {
  await open(page);
  // tests/wasip2-command, built for wasm32-wasip2 (scripts/build.mjs)
  await openModule(page, "hello.component.wasm", readFileSync(join(root, "build", "wasip2", "wasip2-command.wasm")));
  assert.match(await page.textContent("#module-summary"), /a WebAssembly component \(WASI 0\.2\): runs as a command through wasi:cli\/run/);
  await setArgs(page, "hello");
  assert.equal(await runToExit(page), "0");
  await waitForLine(page, "hello from a component");
  // a path relative to the page, as the loader takes it
  await page.fill("#wasm-url", "../build/guests/hello.wasm");
  await page.click("#url-form button[type=submit]");
  await page.waitForFunction(() => window.playground.state.module?.name === "hello.wasm", null, WAIT);
  assert.match(await page.textContent("#module-summary"), /a WASI preview-1 program/);
  // another origin that does not allow us
  const other = await serveStatic();
  try {
    await page.fill("#wasm-url", `${other.url}/build/guests/hello.wasm`);
    await page.click("#url-form button[type=submit]");
    await page.waitForFunction(() => /Access-Control-Allow-Origin/.test(document.getElementById("module-summary").textContent), null, WAIT);
  } finally {
    await other.close();
  }
  await shot(page, "load-errors");
});

scenario("a big module shows its loading progress", async (page) => {
  await open(page);
  // hello.wasm with a 3 MiB custom section appended: still a valid module.
  const hello = await page.evaluate(async () => [...new Uint8Array(await (await fetch("/build/guests/hello.wasm")).arrayBuffer())]);
  const pad = 3 * 1024 * 1024;
  const size = pad + 5; // the name's length byte and "pad!", then the padding
  const section = [0x00, 0x80 | (size & 0x7f), 0x80 | (size >> 7 & 0x7f), 0x80 | (size >> 14 & 0x7f), size >> 21, 4, ...Buffer.from("pad!")];
  const big = Buffer.concat([Buffer.from(hello), Buffer.from(section), Buffer.alloc(pad)]);
  await page.route("**/big.wasm", (route) => route.fulfill({ body: big, headers: { "content-type": "application/wasm", "content-length": String(big.length) } }));
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => { const p = document.getElementById("load-progress"); if (!p.hidden) window.progressSeen.push(p.value); })
      .observe(document.getElementById("load-progress"), { attributes: true });
  });
  await page.fill("#wasm-url", "big.wasm");
  await page.click("#url-form button[type=submit]");
  await page.waitForFunction(() => window.playground.state.module?.name === "big.wasm", null, WAIT);
  assert.ok(await page.evaluate(() => window.progressSeen.length > 0), "the progress bar was shown");
  assert.ok(await page.isHidden("#load-progress"), "and is gone once loaded");
  assert.equal(await runToExit(page), "0");
});

scenario("keyboard only: Tab reaches every control, passes through the terminal, Ctrl-M toggles Tab", async (page) => {
  await open(page);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el.id || (el.classList.contains("xterm-helper-textarea") ? "terminal" : el.dataset.example ? `chip:${el.dataset.example}` : el.dataset.path ? `tree:${el.dataset.path}` : el.dataset.key ? `key:${el.dataset.key}` : el.tagName);
  });
  const seen = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const id = await focused();
    if (seen.includes(id)) break;
    seen.push(id);
  }
  assert.equal(seen.filter((id) => id.startsWith("tree:")).length, 1, `the file tree is one Tab stop: ${seen.join(" ")}`);
  for (const id of ["chip:hello", "open-wasm", "wasm-url", "share", "new-file", "new-dir", "upload-button", "starter-fs", "reset-fs",
    "run", "clear-term", "terminal", "args", "env", "policy-preset", "policy", "clear-log"]) {
    assert.ok(seen.includes(id), `Tab reaches ${id}; order: ${seen.join(" ")}`);
  }
  assert.ok(seen.indexOf("args") > seen.indexOf("terminal"), "Tab leaves the terminal for the fields after it");
  // Shift-Tab leaves it backwards; Ctrl-M makes Tab type a tab instead, and back.
  await page.click("#terminal");
  await page.keyboard.press("Shift+Tab");
  assert.notEqual(await focused(), "terminal");
  await page.click("#terminal");
  await page.keyboard.press("Control+m");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "terminal");
  assert.equal(await page.evaluate(() => window.playground.terminal.line), "\t");
  assert.equal(await page.textContent("#tab-mode"), "types a tab");
  await page.keyboard.press("Control+m");
  await page.keyboard.press("Tab");
  assert.notEqual(await focused(), "terminal");
  // the file tree: items with their state; arrows move, Left folds a folder, Enter opens a file
  const readme = page.locator('#tree [data-path="/README.txt"]');
  assert.equal(await readme.getAttribute("role"), "treeitem");
  await page.locator('#tree [role="treeitem"][tabindex="0"]').focus();
  assert.equal(await focused(), "tree:/data");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.locator('#tree [data-path="/data"]').getAttribute("aria-expanded"), "false");
  await page.keyboard.press("ArrowRight");
  for (let i = 0; i < 8 && await focused() !== "tree:/README.txt"; i++) await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "tree:/README.txt");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#editor[open]", WAIT);
  await page.keyboard.press("Escape");
  assert.equal(await readme.getAttribute("aria-selected"), "true");
  assert.equal(await page.locator('#tree [data-path="/data"]').getAttribute("aria-expanded"), "true");
});

scenario("axe finds no accessibility violations (idle, after a run, with a denial)", async (page) => {
  await open(page);
  await page.addScriptTag({ path: join(root, "node_modules", "axe-core", "axe.min.js") });
  const scan = async (what) => {
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`));
    assert.deepEqual(violations, [], `${what}: axe violations`);
  };
  await scan("idle");
  assert.equal(await page.locator("h1").count(), 1, "one h1");
  await loadExample(page, "files");
  await page.selectOption("#policy-preset", { label: "Read-only /" });
  await setArgs(page, "write /data/blocked.txt nope");
  await runToExit(page);
  await page.waitForSelector("#events li.denied", WAIT);
  await scan("after a denied run");
});

scenario("policy feedback: the log is named for what it lists, Ctrl-Enter obeys the block, fields show their errors", async (page) => {
  await open(page);
  await loadExample(page, "files");
  await page.selectOption("#policy-preset", { label: "Log every access" });
  await page.waitForFunction(() => document.getElementById("log-name").textContent === "Accesses", null, WAIT);
  await page.selectOption("#policy-preset", { label: "Read-only /" });
  await page.waitForFunction(() => document.getElementById("log-name").textContent === "Denials", null, WAIT);
  assert.match(await page.textContent("#log-scope"), /sees only \/ \(read-only\).*ENOENT/);
  // a broken policy: the reason stands beside Run, and Ctrl-Enter does not start a run
  await page.fill("#policy", "{ nope");
  await page.waitForSelector("#policy-status.error", WAIT);
  assert.match(await page.textContent("#run-reason"), /policy/);
  await page.focus("#policy");
  await page.keyboard.press("Control+Enter");
  assert.equal(await page.evaluate(() => document.getElementById("status").dataset.state), "idle");
  await page.selectOption("#policy-preset", { label: "Read-write /" });
  // an argument error is shown at the field, which is marked invalid
  await page.fill("#args", `cat "unterminated`);
  assert.equal(await page.getAttribute("#args", "aria-invalid"), "true");
  assert.match(await page.textContent("#args-error"), /unterminated double quote/);
  assert.ok(await page.isDisabled("#run"));
  await page.fill("#args", "cat /README.txt");
  assert.equal(await page.getAttribute("#args", "aria-invalid"), "false");
  assert.ok(await page.isHidden("#args-error"));
  assert.equal(await runToExit(page), "0");
});

scenario("files survive a reload without Save; Starter files brings the starters back", async (page) => {
  await open(page);
  await page.evaluate(() => window.playground.state.fs.writeFile("/mine.txt", "kept"));
  await page.evaluate(() => window.playground.refreshTree(["/mine.txt"]));
  await page.waitForFunction(() => document.getElementById("autosave").textContent.includes("saved"), null, WAIT);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", WAIT);
  await page.waitForSelector('#tree [data-path="/mine.txt"]', WAIT);
  page.once("dialog", (d) => d.accept());
  await page.click("#starter-fs");
  await page.waitForSelector('#tree [data-path="/mine.txt"]', { state: "detached", ...WAIT });
  assert.ok((await treePaths(page)).includes("/README.txt"));
});

scenario("a Share link carries module, arguments, environment, policy and small files", async (page, context) => {
  await open(page);
  await loadExample(page, "files");
  await setArgs(page, "cat /shared/note.txt");
  await page.fill("#env", "WHO=friend");
  await page.selectOption("#policy-preset", { label: "Read-write /" });
  await page.evaluate(() => { const { fs } = window.playground.state; fs.mkdir("/shared"); fs.writeFile("/shared/note.txt", "sent by link\n"); window.playground.refreshTree(); });
  await page.click("#share");
  await page.waitForSelector("#share-dialog[open]", WAIT);
  const link = await page.inputValue("#share-url");
  assert.match(link, /#share=/);
  await shot(page, "share");
  // opened elsewhere: a fresh browser profile
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const recipient = await other.newPage();
    await recipient.goto(link);
    await recipient.waitForSelector("body[data-ready=true]", WAIT);
    await recipient.waitForFunction(() => window.playground.state.module?.name === "files.wasm", null, WAIT);
    assert.equal(await recipient.inputValue("#args"), "cat /shared/note.txt");
    assert.equal(await recipient.inputValue("#env"), "WHO=friend");
    assert.match(await recipient.inputValue("#policy"), /"rw"/);
    assert.equal(await runToExit(recipient), "0");
    await waitForLine(recipient, "sent by link");
  } finally {
    await other.close();
  }
});

for (const [name, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 390, height: 844 }]]) {
  scenario(`layout at ${viewport.width}×${viewport.height}: full-width fields, keys for phones, Run and Stop on one line`, async (page) => {
    await open(page, "#repl");
    await page.screenshot({ path: join(OUT, `playground-layout-${name}.png`), fullPage: true });
    const box = async (sel) => page.locator(sel).boundingBox();
    const [run, stop] = [await box("#run"), await box("#stop")];
    assert.equal(Math.round(run.y), Math.round(stop.y), "Run and Stop sit on one line");
    assert.ok(run.height < 50, "Run does not wrap its label");
    if (name === "phone") {
      const [args, env, policy] = [await box("#args"), await box("#env"), await box("#policy")];
      assert.ok(Math.abs(env.width - args.width) < 2 && Math.abs(policy.width - args.width) < 2, `fields share one width: ${args.width} ${env.width} ${policy.width}`);
      assert.ok(args.width > 330, "and span the screen");
      for (const key of ["ctrl-c", "ctrl-d", "tab"]) assert.ok(await page.isVisible(`.soft-keys [data-key=${key}]`), `an on-screen ${key} key`);
      await page.addScriptTag({ path: join(root, "node_modules", "axe-core", "axe.min.js") });
      const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`));
      assert.deepEqual(violations, [], "axe on the phone layout");
      // the on-screen Ctrl-D ends the REPL's input
      await page.click("#run");
      await waitForLine(page, "> ");
      await page.click(".soft-keys [data-key=ctrl-d]");
      await page.waitForFunction(() => document.getElementById("status").dataset.state === "ok", null, WAIT);
    } else {
      assert.ok(await page.isHidden(".soft-keys"), "no on-screen keys with a keyboard");
    }
  }, { viewport });
}

scenario("Run and Stop stay on one line at 1000 px", async (page) => {
  await open(page);
  const [run, stop] = [await page.locator("#run").boundingBox(), await page.locator("#stop").boundingBox()];
  assert.equal(Math.round(run.y), Math.round(stop.y));
  assert.ok(run.height < 50);
}, { viewport: { width: 1000, height: 800 } });
