// The Cove playground page: load a module, edit its files, arguments, environment and policy, run
// it in a Worker with a live terminal, and watch what the policy denies.
//
// Everything WASI happens in the package (js/src): the page's MemFS is the package's MemFS, the
// guest runs in the package's Worker runner, snapshots and stdin plumbing are the package's too.
import { MemFS, startWorker, saveMemFS, loadMemFS } from "/js/src/browser.js";
import { snapshotMemFS } from "/js/src/snapshot.js";
import { PlaygroundTerminal } from "./terminal.js";
import { FileTree } from "./filetree.js";
import { EXAMPLES, POLICY_PRESETS, DEFAULT_POLICY, STARTER_FILES } from "./examples.js";
import { splitArgs, joinArgs, parseEnv } from "./args.js";
import { parsePolicy, engineVerdict, formatPolicy } from "./policy.js";
import { baseName, exists, join } from "./vfs.js";
import { formatBytes, formatDuration } from "./format.js";

const $ = (id) => document.getElementById(id);
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

const state = {
  module: null,        // { name, bytes: Uint8Array, source }
  job: null,           // the running Worker job (startWorker), or null
  startedAt: 0,
  fs: new MemFS(),     // the playground's filesystem; the guest gets a copy, and its changes back
  policyOk: true,
  denials: 0,
};

// ---------- terminal ----------

const terminal = new PlaygroundTerminal($("terminal"), {
  onLine(line) {
    if (state.job) state.job.writeStdin(line + "\n");
    else terminal.note("(not running — press Run to start the module)");
  },
  onEof() {
    if (state.job) state.job.endStdin();
  },
  onInterrupt() {
    if (state.job) stop();
  },
  onRunShortcut() {
    run();
  },
});

// ---------- toast ----------

let toastTimer;
function toast(message, { error = false } = {}) {
  const el = $("toast");
  el.textContent = message;
  el.classList.toggle("error", error);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, error ? 6000 : 2800);
}

// ---------- modules ----------

function isWasm(bytes) {
  return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

function setModule(name, bytes, source) {
  if (!isWasm(bytes)) {
    toast(`${name} is not a WebAssembly module (it does not start with \\0asm)`, { error: true });
    return false;
  }
  state.module = { name, bytes, source };
  $("module-name").textContent = `${name} · ${formatBytes(bytes.length)}`;
  $("module-name").title = source;
  setRunning(Boolean(state.job));
  document.title = `${name} — Cove playground`;
  return true;
}

async function loadFromUrl(url, name = decodeURIComponent(baseName(new URL(url, location.href).pathname)) || "module.wasm") {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    toast(`Could not fetch ${url}: ${e.message}`, { error: true });
    return false;
  }
  if (!response.ok) {
    toast(`Could not fetch ${url}: HTTP ${response.status}${response.status === 404 && url.includes("/build/guests/") ? " (run `npm start` to build the examples)" : ""}`, { error: true });
    return false;
  }
  return setModule(name, new Uint8Array(await response.arrayBuffer()), url);
}

async function loadFile(file) {
  return setModule(file.name, new Uint8Array(await file.arrayBuffer()), `file: ${file.name}`);
}

function markExample(id) {
  for (const chip of document.querySelectorAll(".chip")) chip.setAttribute("aria-pressed", String(chip.dataset.example === id));
}

/** A module of the user's own replaces the example: the example's hints no longer apply. */
function forgetExample() {
  markExample(null);
  $("args-hint").textContent = "Split like a shell: quotes group words.";
  history.replaceState(null, "", location.pathname);
}

async function loadExample(example) {
  markExample(example.id);
  if (await loadFromUrl(example.url, `${example.id}.wasm`)) {
    $("args").value = example.args;
    $("args-hint").textContent = example.hint;
    history.replaceState(null, "", `#${example.id}`);
    terminal.note(`loaded ${example.id}.wasm: ${example.blurb}`);
  }
}

function renderExamples() {
  const nav = $("examples");
  for (const example of EXAMPLES) {
    const chip = document.createElement("button");
    chip.className = "chip";
    chip.dataset.example = example.id;
    chip.title = example.blurb;
    chip.setAttribute("aria-pressed", "false");
    chip.textContent = example.title;
    chip.addEventListener("click", () => loadExample(example));
    nav.append(chip);
  }
}

// ---------- run / stop ----------

function setStatus(kind, text, exitCode = "–", time = null) {
  $("status").dataset.state = kind;
  $("status-text").textContent = text;
  $("exit-code").textContent = exitCode;
  $("run-time").textContent = time === null ? "–" : formatDuration(time);
}

function runSettings() {
  const argv = [state.module.name.replace(/\.wasm$/, ""), ...splitArgs($("args").value)];
  const env = parseEnv($("env").value);
  const { policy, error } = parsePolicy($("policy").value);
  if (error) throw new Error(`policy: ${error}`);
  return { argv, env, policy };
}

async function run() {
  if (state.job || !state.module) return;
  let settings;
  try {
    settings = runSettings();
  } catch (e) {
    toast(e.message, { error: true });
    return;
  }
  const { argv, env, policy } = settings;
  const before = snapshotMemFS(state.fs);
  terminal.discardInput();
  terminal.note(`$ ${joinArgs(argv)}`);
  clearDenials();

  const job = startWorker(state.module.bytes, {
    args: argv, env, policy, fs: state.fs,
    stdin: { open: true },
    stdout: (chunk) => terminal.write("stdout", chunk),
    stderr: (chunk) => terminal.write("stderr", chunk),
    onEvent: (event) => addEvent(event),
  });
  state.job = job;
  state.startedAt = performance.now();
  job.blocking.then((mode) => {
    state.startedAt = performance.now(); // time the guest itself, not the Worker's start-up
    $("stdin-mode").textContent = STDIN_MODES[mode] ?? `stdin: ${mode}`;
  });
  setRunning(true);
  setStatus("running", "running");
  terminal.focus();
  // The clock ticks while the guest runs, so a long or stuck run is visible at a glance.
  const ticker = setInterval(() => { $("run-time").textContent = formatDuration(performance.now() - state.startedAt); }, 250);

  let outcome;
  try {
    outcome = await job.exited;
  } catch (e) {
    outcome = { error: e };
  }
  const elapsed = performance.now() - state.startedAt;
  clearInterval(ticker);
  state.job = null;
  setRunning(false);
  if (outcome.terminated) {
    terminal.note("■ stopped", "error");
    setStatus("stopped", "stopped", "–", elapsed);
  } else if (outcome.error) {
    // A trap exits 134, as `cove run` reports it; anything else means the module never ran.
    const trapped = outcome.error.name === "RuntimeError";
    terminal.note(`✕ ${trapped ? "trap" : "failed"}: ${outcome.error.message}`, "error");
    setStatus("failed", trapped ? "trapped" : "failed", trapped ? "134" : "–", elapsed);
  } else {
    const code = outcome.exitCode;
    terminal.note(`${code === 0 ? "✓" : "✕"} exit ${code} · ${formatDuration(elapsed)}`, code === 0 ? "ok" : "error");
    setStatus(code === 0 ? "ok" : "failed", "exited", String(code), elapsed);
  }
  refreshTree(changedPaths(before, snapshotMemFS(state.fs)));
}

const STDIN_MODES = {
  jspi: "stdin: blocking reads (JSPI)",
  sab: "stdin: blocking reads (SharedArrayBuffer)",
  none: "stdin: non-blocking (no JSPI, not cross-origin isolated)",
};

function stop() {
  state.job?.terminate();
}

function setRunning(running) {
  $("run").disabled = running || !state.module || !state.policyOk;
  $("stop").disabled = !running;
}

/** Paths whose content or presence differs between two snapshots. */
function changedPaths(before, after) {
  const key = (e) => e.type === "file" ? `${e.type}:${e.data.length}:${hash(e.data)}` : `${e.type}:${e.target ?? ""}`;
  const old = new Map(before.entries.map((e) => [e.path, key(e)]));
  return after.entries.filter((e) => old.get(e.path) !== key(e)).map((e) => e.path);
}

function hash(bytes) {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
  return h >>> 0;
}

// ---------- denials ----------

function clearDenials() {
  state.denials = 0;
  $("events").replaceChildren(noneItem());
  $("denial-count").textContent = "0";
  $("denial-count").classList.remove("hot");
}

function noneItem() {
  const li = document.createElement("li");
  li.className = "none";
  li.textContent = 'Nothing denied yet. Accesses the policy refuses appear here as they happen (with "log": "all", every access).';
  return li;
}

/** A policy event: a denial (always, unless "log": "none"), or an allowed access ("log": "all"). */
function addEvent(event) {
  const denied = event?.type === "denied";
  if (!denied && event?.type !== "access") return;
  const list = $("events");
  list.querySelector(".none")?.remove();
  const li = document.createElement("li");
  li.className = denied ? "denied" : "access";
  li.innerHTML = `<span class="op"></span> <span class="path"></span><span class="reason"></span>`;
  li.querySelector(".op").textContent = event.op ?? event.type;
  li.querySelector(".path").textContent = event.path ?? "";
  li.querySelector(".reason").textContent = event.reason ?? "";
  list.append(li);
  li.scrollIntoView({ block: "nearest" });
  if (denied) {
    state.denials++;
    $("denial-count").textContent = String(state.denials);
    $("denial-count").classList.add("hot");
  }
}

// ---------- policy editor ----------

function renderPresets() {
  const select = $("policy-preset");
  select.append(new Option("Presets…", ""));
  for (const [i, preset] of POLICY_PRESETS.entries()) select.append(new Option(preset.name, String(i)));
  select.addEventListener("change", () => {
    const preset = POLICY_PRESETS[Number(select.value)];
    if (preset) {
      $("policy").value = formatPolicy(preset.policy);
      checkPolicy();
      rememberSettings();
    }
    select.value = "";
  });
}

let policyTimer;
function checkPolicy() {
  const text = $("policy").value;
  const status = $("policy-status");
  const { policy, error } = parsePolicy(text);
  const problem = error ?? (policy === undefined ? null : engineVerdict(policy, state.fs));
  state.policyOk = !problem;
  $("policy").classList.toggle("invalid", Boolean(problem));
  status.classList.toggle("error", Boolean(problem));
  status.textContent = problem ?? (policy === undefined ? "No policy: the guest sees all of Files at /." : "✓ valid");
  setRunning(Boolean(state.job));
}

// ---------- files ----------

const tree = new FileTree($("tree"), {
  onOpen: (path) => openEditor(path),
  onDownload: (path) => download(path),
  onDelete: (path, kind) => {
    if (!confirm(`Delete ${path}${kind === "dir" ? " and everything in it" : ""}?`)) return;
    state.fs.rm(path, { recursive: true });
    tree.resetSelection();
    refreshTree();
  },
  onSelect: (dir) => { $("target-dir").textContent = dir; },
});

function refreshTree(fresh = []) {
  tree.render(state.fs, fresh);
  checkPolicy();
}

function download(path) {
  const blob = new Blob([state.fs.readFile(path)]);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = baseName(path);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Ask for a name in the Files panel itself (Enter accepts, Escape or leaving the field cancels).
 * Resolves to an absolute path — relative names land in the selected folder — or null.
 */
function askPath(placeholder) {
  const form = $("new-entry"), input = $("new-entry-name");
  input.value = "";
  input.placeholder = `${placeholder} in ${tree.targetDir}`;
  form.hidden = false;
  input.focus();
  return new Promise((resolve) => {
    const finish = (answer) => {
      form.onsubmit = input.onkeydown = input.onblur = null; // first: hiding the field blurs it
      form.hidden = true;
      if (!answer) return resolve(null);
      const path = answer.startsWith("/") ? answer : join(tree.targetDir, answer);
      resolve(path.replace(/\/+$/, "") || "/");
    };
    form.onsubmit = (e) => { e.preventDefault(); finish(input.value.trim()); };
    input.onkeydown = (e) => { if (e.key === "Escape") finish(null); };
    input.onblur = () => finish(null);
  });
}

$("new-file").addEventListener("click", async () => {
  const path = await askPath("new file name");
  if (!path) return;
  if (exists(state.fs, path)) return toast(`${path} already exists`, { error: true });
  state.fs.writeFile(path, "");
  refreshTree([path]);
  openEditor(path);
});

$("new-dir").addEventListener("click", async () => {
  const path = await askPath("new folder name");
  if (!path) return;
  state.fs.mkdir(path, { recursive: true });
  tree.expanded.add(path);
  refreshTree([path]);
});

async function addFiles(files, dir = tree.targetDir) {
  const added = [];
  for (const file of files) {
    const path = join(dir, file.name);
    state.fs.writeFile(path, new Uint8Array(await file.arrayBuffer()));
    added.push(path);
  }
  if (added.length) {
    tree.expanded.add(dir);
    refreshTree(added);
    toast(`Added ${added.length === 1 ? added[0] : `${added.length} files to ${dir}`}`);
  }
}

$("upload").addEventListener("change", async (e) => {
  await addFiles([...e.target.files]);
  e.target.value = "";
});

// ---------- editor ----------

let editing = null;
function openEditor(path) {
  const bytes = state.fs.readFile(path);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  editing = path;
  $("editor-path").textContent = path;
  $("editor-text").value = text ?? "";
  $("editor-text").readOnly = text === null;
  $("editor-save").disabled = text === null;
  $("editor-note").textContent = text === null ? `${bytes.length} bytes of binary data — download it to look inside.` : `${bytes.length} bytes · UTF-8`;
  $("editor").showModal();
  $("editor-text").focus();
}

$("editor").addEventListener("close", () => {
  const action = $("editor").returnValue;
  if (action === "save" && editing) {
    state.fs.writeFile(editing, $("editor-text").value);
    refreshTree([editing]);
  }
  editing = null;
});
$("editor-download").addEventListener("click", (e) => {
  e.preventDefault();
  if (editing) download(editing);
});
$("editor-text").addEventListener("keydown", (e) => {
  if (e.key === "s" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    $("editor").close("save");
  }
});

// ---------- persistence ----------

const SAVE_NAME = "playground"; // the IndexedDB snapshot name (js/src/idb.js)

$("save-fs").addEventListener("click", async () => {
  try {
    await saveMemFS(state.fs, SAVE_NAME);
    const files = snapshotMemFS(state.fs).entries.filter((e) => e.type === "file").length;
    toast(`Saved ${files} file${files === 1 ? "" : "s"} in this browser (IndexedDB)`);
  } catch (e) {
    toast(`Save failed: ${e.message}`, { error: true });
  }
});

async function restore({ quiet = false } = {}) {
  try {
    const saved = await loadMemFS(SAVE_NAME);
    if (!saved) {
      if (!quiet) toast("Nothing saved in this browser yet", { error: true });
      return false;
    }
    state.fs = saved;
    tree.resetSelection();
    refreshTree();
    toast("Restored the filesystem saved in this browser");
    return true;
  } catch (e) {
    toast(`Restore failed: ${e.message}`, { error: true });
    return false;
  }
}
$("restore-fs").addEventListener("click", () => restore());

$("reset-fs").addEventListener("click", () => {
  if (!confirm("Remove every file from the playground filesystem?")) return;
  for (const name of state.fs.readdir("/")) state.fs.rm(join("/", name), { recursive: true });
  tree.resetSelection();
  refreshTree();
});

// ---------- drag and drop ----------

let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return;
  dragDepth++;
  $("dropzone").hidden = false;
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) $("dropzone").hidden = true;
});
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", async (e) => {
  e.preventDefault();
  dragDepth = 0;
  $("dropzone").hidden = true;
  const files = [...(e.dataTransfer?.files ?? [])];
  if (!files.length) return;
  // Over the Files panel everything becomes a file; elsewhere a .wasm is loaded as the module.
  const overTree = e.target instanceof Element && e.target.closest("#files-panel");
  const modules = [];
  const others = [];
  for (const f of files) {
    const head = new Uint8Array(await f.slice(0, 4).arrayBuffer());
    (isWasm(head) && !overTree ? modules : others).push(f);
  }
  if (modules.length) {
    forgetExample();
    if (await loadFile(modules[0])) terminal.note(`loaded ${modules[0].name}`);
  }
  if (others.length) await addFiles(others);
});

// ---------- wiring ----------

$("wasm-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (file && await loadFile(file)) {
    forgetExample();
    terminal.note(`loaded ${file.name}`);
  }
});

$("url-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const url = $("wasm-url").value.trim();
  if (!url) return;
  if (await loadFromUrl(url)) {
    forgetExample();
    history.replaceState(null, "", `?url=${encodeURIComponent(url)}`); // a link that loads it again
    terminal.note(`loaded ${url}`);
  }
});

// Buttons (reachable from the keyboard) open their hidden file pickers.
for (const button of document.querySelectorAll("[data-picks]")) {
  button.addEventListener("click", () => $(button.dataset.picks).click());
}
$("run").addEventListener("click", () => run());
$("stop").addEventListener("click", () => stop());
$("policy").addEventListener("input", () => {
  clearTimeout(policyTimer);
  policyTimer = setTimeout(checkPolicy, 150);
});
for (const id of ["policy", "env"]) $(id).addEventListener("input", rememberSettings);
$("clear-log").addEventListener("click", clearDenials);
$("clear-term").addEventListener("click", () => {
  terminal.clear();
  terminal.focus();
});
for (const id of ["args", "env"]) {
  $(id).addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey || id === "args")) {
      e.preventDefault();
      run();
    }
  });
}
window.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !$("editor").open) {
    e.preventDefault();
    run();
  }
});

// The environment and policy fields outlive a reload (localStorage): they are the user's own
// set-up, unlike the arguments, which belong to the module loaded.
const SETTINGS_KEY = "cove-playground-settings";

function rememberedSettings() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY)) ?? {};
  } catch {
    return {};
  }
}

function rememberSettings() {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ env: $("env").value, policy: $("policy").value }));
  } catch { /* storage may be disabled; the fields still work */ }
}

async function init() {
  renderExamples();
  renderPresets();
  clearDenials();
  const remembered = rememberedSettings();
  $("policy").value = remembered.policy ?? formatPolicy(DEFAULT_POLICY);
  $("env").value = remembered.env ?? "LANG=C.UTF-8";
  if (!(await restore({ quiet: true }))) {
    for (const [path, text] of Object.entries(STARTER_FILES)) state.fs.writeFile(path, text);
    tree.expanded.add("/data");
    refreshTree();
  }
  setStatus("idle", "idle");
  terminal.write("stdout", new TextEncoder().encode(
    "\x1b[1;36mCove playground\x1b[0m — WASI programs, sandboxed, in your browser.\r\n" +
    "Pick an example, open a .wasm or drop one here, then Run (Ctrl-Enter).\r\n\r\n"));
  const wanted = new URLSearchParams(location.search).get("url");
  const example = EXAMPLES.find((x) => x.id === location.hash.slice(1)) ?? EXAMPLES[0];
  if (wanted) {
    $("wasm-url").value = wanted;
    if (await loadFromUrl(wanted)) terminal.note(`loaded ${wanted}`);
  } else {
    await loadExample(example);
  }
  document.body.dataset.ready = "true"; // for tests and scripts: the page is wired up
}

init().catch((e) => {
  console.error(e);
  toast(`The playground failed to start: ${e.message}`, { error: true });
});

// Exposed for the browser tests and for poking at the page from the console.
window.playground = { state, terminal, run, stop, loadExample };
