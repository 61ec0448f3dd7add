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
import { isWasm, inspectModule, assessModule } from "./module-info.js";
import { OutputLog } from "./output-log.js";
import { encodeShare, decodeShare, shareableFiles, SHARE_PREFIX } from "./share.js";

const $ = (id) => document.getElementById(id);
// Output the page may be behind the guest: a few frames of xterm parsing, so Stop lands at once.
const OUTPUT_WINDOW = 128 * 1024;

const state = {
  module: null,        // { name, bytes: Uint8Array, source, assessment (module-info.js) }
  job: null,           // the running Worker job (startWorker), or null
  startedAt: 0,
  fs: new MemFS(),     // the playground's filesystem; the guest gets a copy, and its changes back
  policyOk: true,
  denials: 0,
  logMode: "denied",   // the policy's "log": what the log panel lists
  output: new OutputLog(), // this run's output, bounded (output-log.js), for "download output"
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
  onTabMode(tabTypes) {
    $("tab-mode").textContent = tabTypes ? "types a tab" : "leaves the terminal";
    $("tab-toggle").textContent = tabTypes ? "Tab leaves" : "type tabs";
    toast(tabTypes ? "Tab now types a tab in the terminal (Ctrl-M: Tab moves focus again)" : "Tab moves focus out of the terminal again");
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

/**
 * Take `bytes` as the module: what it is and needs is read at once (module-info.js) and said in
 * the notice above the terminal; Run stays blocked, with the reason beside it, for what cannot run.
 */
function setModule(name, bytes, source) {
  if (!isWasm(bytes)) {
    loadError(`${name} is not a WebAssembly module (it does not start with \\0asm)`);
    return false;
  }
  const assessment = assessModule(name, inspectModule(bytes));
  state.module = { name, bytes, source, assessment };
  $("module-name").textContent = `${name} · ${formatBytes(bytes.length)}`;
  $("module-name").title = source;
  $("module-summary").textContent = assessment.summary;
  $("module-notice").hidden = false;
  $("module-notice").classList.toggle("warn", !assessment.runnable || Boolean(assessment.stubbable));
  $("stub-row").hidden = !assessment.stubbable;
  $("stub-imports").checked = false;
  setRunning(Boolean(state.job));
  document.title = `${name} — Cove playground`;
  return true;
}

/** A module that could not be loaded: said where the module's description goes (a live region). */
function loadError(message) {
  const still = state.module ? ` (${state.module.name} stays loaded.)` : "";
  $("module-summary").textContent = message + still;
  $("module-notice").hidden = false;
  $("module-notice").classList.add("warn");
  $("stub-row").hidden = true;
}

/** Why a fetch failed, in words: a cross-origin server that does not allow us, or no answer at all. */
function fetchFailure(url, error) {
  const target = new URL(url, location.href);
  if (target.origin !== location.origin) {
    return `Could not fetch ${target.href}: the browser blocked it or the server did not answer. ` +
      `A module on another site loads only if that server allows it: it must send ` +
      `Access-Control-Allow-Origin${crossOriginIsolated ? " and Cross-Origin-Resource-Policy: cross-origin (this page is cross-origin isolated)" : ""}. ` +
      `Otherwise download the file and open it here (Open .wasm… or drop it). (${error.message})`;
  }
  return `Could not fetch ${target.href}: the server did not answer (${error.message}).`;
}

/** The response's body with a progress bar for anything big enough to take a moment. */
async function readWithProgress(response, name) {
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body || total < 1 << 20) return new Uint8Array(await response.arrayBuffer());
  const bar = $("load-progress");
  bar.max = total;
  bar.value = 0;
  bar.hidden = false;
  const chunks = [];
  let received = 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      bar.value = received;
      $("module-name").textContent = `Loading ${name}… ${formatBytes(received)} of ${formatBytes(total)}`;
    }
  } finally {
    bar.hidden = true;
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  return bytes;
}

async function loadFromUrl(url, name) {
  let target;
  try {
    target = new URL(url, location.href);
  } catch {
    loadError(`${url} is not a URL (an absolute URL, or a path relative to this page)`);
    return false;
  }
  name ??= decodeURIComponent(baseName(target.pathname)) || "module.wasm";
  let response;
  let bytes;
  try {
    response = await fetch(target);
  } catch (e) {
    loadError(fetchFailure(url, e));
    return false;
  }
  if (!response.ok) {
    loadError(`Could not fetch ${target.href}: HTTP ${response.status}${response.status === 404 && url.includes("/build/guests/") ? " (run `npm start` to build the examples)" : ""}`);
    return false;
  }
  try {
    bytes = await readWithProgress(response, name);
  } catch (e) {
    loadError(`Loading ${target.href} broke off: ${e.message}`);
    if (state.module) $("module-name").textContent = `${state.module.name} · ${formatBytes(state.module.bytes.length)}`;
    return false;
  }
  return setModule(name, bytes, target.href);
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

/** Argument and environment errors are shown at their field (and the field marked invalid). */
function fieldError(id, message) {
  const field = $(id), note = $(`${id}-error`);
  field.setAttribute("aria-invalid", String(Boolean(message)));
  note.textContent = message ?? "";
  note.hidden = !message;
  return message;
}

/** The run's argv, env and policy, or null (the reasons are shown at the fields). */
function runSettings() {
  let argv, env;
  try {
    argv = [state.module.name.replace(/\.wasm$/, ""), ...splitArgs($("args").value)];
    fieldError("args", null);
  } catch (e) {
    fieldError("args", e.message);
  }
  try {
    env = parseEnv($("env").value);
    fieldError("env", null);
  } catch (e) {
    fieldError("env", e.message);
  }
  const { policy, error } = parsePolicy($("policy").value);
  if (!argv || !env || error) return null;
  return { argv, env, policy };
}

/**
 * `{ settings }` for a run that can start now, else `{ blocked }`: why not (shown beside Run;
 * Ctrl-Enter obeys it too). The fields are read once, marking or clearing their own errors.
 */
function runPlan() {
  const m = state.module;
  if (!m) return { blocked: "load a module first" };
  if (!m.assessment.runnable) return { blocked: m.assessment.reason };
  if (m.assessment.stubbable && !$("stub-imports").checked) return { blocked: "tick “Run with stubs” above the terminal to run it" };
  const settings = runSettings();
  if ($("args").getAttribute("aria-invalid") === "true") return { blocked: "fix the arguments" };
  if ($("env").getAttribute("aria-invalid") === "true") return { blocked: "fix the environment" };
  if (!state.policyOk || !settings) return { blocked: "the policy has an error (see Policy)" };
  return { settings };
}

async function run() {
  if (state.job) return;
  const { blocked, settings } = runPlan();
  if (blocked) {
    if (state.module) toast(`Cannot run: ${blocked}`, { error: true });
    return;
  }
  const { argv, env, policy } = settings;
  const before = snapshotMemFS(state.fs);
  terminal.discardInput();
  terminal.note(`$ ${joinArgs(argv)}`);
  terminal.countLines();
  clearDenials();
  state.output.reset();
  $("truncated").hidden = true;
  $("download-output").hidden = true;

  // Each chunk is logged, then shown; the terminal's Promise (settled once xterm has parsed it)
  // is the run's flow control: the guest's writes wait while the page is behind.
  const show = (stream) => (chunk) => {
    state.output.append(chunk);
    const shown = terminal.write(stream, chunk);
    $("download-output").hidden = false;
    if (terminal.truncated && $("truncated").hidden) $("truncated").hidden = false;
    return shown;
  };
  const job = startWorker(state.module.bytes, {
    args: argv, env, policy, fs: state.fs,
    stdin: { open: true },
    stdout: show("stdout"),
    stderr: show("stderr"),
    outputWindow: OUTPUT_WINDOW,
    stubImports: state.module.assessment.stubbable === true,
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
  // The status first: whatever the notes or the tree below might throw, it says how the run ended.
  try {
    reportOutcome(outcome, elapsed);
  } finally {
    refreshTree(changedPaths(before, snapshotMemFS(state.fs)));
  }
}

function reportOutcome(outcome, elapsed) {
  if (outcome.terminated) {
    setStatus("stopped", "stopped", "–", elapsed);
    terminal.note("■ stopped", "error");
  } else if (outcome.error) {
    // A trap exits 134, as `cove run` reports it; anything else means the module never ran.
    const trapped = outcome.error.name === "RuntimeError";
    setStatus("failed", trapped ? "trapped" : "failed", trapped ? "134" : "–", elapsed);
    terminal.note(`✕ ${trapped ? "trap" : "failed"}: ${outcome.error.message}`, "error");
  } else {
    const code = outcome.exitCode;
    setStatus(code === 0 ? "ok" : "failed", "exited", String(code), elapsed);
    terminal.note(`${code === 0 ? "✓" : "✕"} exit ${code} · ${formatDuration(elapsed)}`, code === 0 ? "ok" : "error");
  }
  if (state.output.omitted || terminal.truncated) {
    terminal.note(`output: ${formatBytes(state.output.total)}; the terminal shows the last lines — “Download full output” above has the rest`);
  }
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
  const blocked = running ? null : runPlan().blocked;
  $("run").disabled = running || Boolean(blocked);
  $("stop").disabled = !running;
  $("run-reason").textContent = blocked && state.module ? blocked : "";
}

/** This run's output as a file: what the terminal dropped included (within output-log.js's bounds). */
function downloadOutput() {
  const name = `${(state.module?.name ?? "output").replace(/\.wasm$/, "")}-output.txt`;
  saveBlob(new Blob(state.output.parts(), { type: "text/plain" }), name);
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
  li.textContent = state.logMode === "all" ? "No accesses yet: with \"log\": \"all\" every access the guest makes is listed here, denials in red."
    : state.logMode === "none" ? "Logging is off (\"log\": \"none\"): nothing is listed, not even denials."
    : "Nothing denied yet. Accesses the policy refuses appear here as they happen.";
  return li;
}

/**
 * Name the log for what it lists ("log": "all" lists every access), and say what the guest can
 * see: a path outside every mount does not exist for it — its libc answers ENOENT without ever
 * asking the host, so no denial can be listed for it.
 */
function describeLog(policy) {
  state.logMode = policy?.log ?? "denied";
  $("log-name").textContent = state.logMode === "all" ? "Accesses" : "Denials";
  if (!$("events").querySelector("li:not(.none)")) $("events").replaceChildren(noneItem());
  const mounts = Array.isArray(policy?.mounts) ? policy.mounts : null;
  $("log-scope").textContent = !mounts ? "The guest sees all of Files at /."
    : !mounts.length ? "The policy mounts nothing: the guest sees no files at all."
    : `The guest sees only ${mounts.map((m) => `${m.guest} (${m.mode === "rw" ? "read-write" : "read-only"})`).join(", ")}. ` +
      "Any other path does not exist for it (ENOENT, from its own libc, so it is not listed here).";
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
  if (!problem) describeLog(policy);
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
  scheduleSave();
}

function download(path) {
  saveBlob(new Blob([state.fs.readFile(path)]), baseName(path));
}

function saveBlob(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
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

// The file tree saves itself in this browser (IndexedDB, the package's saveMemFS) a moment after
// every change; leaving the page while a save is still on its way asks first.
const SAVE_NAME = "playground"; // the IndexedDB snapshot name (js/src/idb.js)
const SAVE_DELAY_MS = 250;
let saveTimer = null;
let saving = null; // the save in flight

function scheduleSave() {
  clearTimeout(saveTimer);
  $("autosave").textContent = "saving…";
  saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

async function saveNow() {
  clearTimeout(saveTimer);
  saveTimer = null;
  await saving;
  saving = saveMemFS(state.fs, SAVE_NAME).then(
    () => { if (saveTimer === null) $("autosave").textContent = "✓ saved in this browser"; }, // else a newer change waits
    (e) => { $("autosave").textContent = `not saved: ${e.message}`; },
  ).finally(() => { saving = null; });
  return saving;
}

window.addEventListener("beforeunload", (e) => {
  if (saveTimer !== null || saving) e.preventDefault(); // the browser asks before losing changes
});

async function restore() {
  try {
    const saved = await loadMemFS(SAVE_NAME);
    if (!saved) return false;
    state.fs = saved;
    tree.resetSelection();
    tree.render(state.fs);
    $("autosave").textContent = "✓ saved in this browser";
    return true;
  } catch (e) {
    toast(`Your saved files could not be read: ${e.message}`, { error: true });
    return false;
  }
}

function emptyFs() {
  for (const name of state.fs.readdir("/")) state.fs.rm(join("/", name), { recursive: true });
  tree.resetSelection();
}

function starterFiles() {
  for (const [path, text] of Object.entries(STARTER_FILES)) state.fs.writeFile(path, text);
  tree.expanded.add("/data");
}

$("starter-fs").addEventListener("click", () => {
  if (!confirm("Replace every file with the starter files?")) return;
  emptyFs();
  starterFiles();
  refreshTree();
});

$("reset-fs").addEventListener("click", () => {
  if (!confirm("Remove every file from the playground filesystem?")) return;
  emptyFs();
  refreshTree();
});

// ---------- share ----------

/** A link that restores this set-up: module (URL or example), arguments, environment, policy, small files. */
async function shareLink() {
  const example = document.querySelector('.chip[aria-pressed="true"]')?.dataset.example;
  const source = state.module?.source ?? "";
  const module = example ? { example } : /^https?:/.test(source) ? { url: source } : null;
  const { files, left } = shareableFiles(snapshotMemFS(state.fs).entries);
  const hash = await encodeShare({ module, args: $("args").value, env: $("env").value, policy: $("policy").value, files });
  const url = `${location.origin}${location.pathname}${hash}`;
  const notes = [];
  if (!module && state.module) notes.push(`${state.module.name} came from your disk, so the link cannot carry it`);
  if (left.length) notes.push(`${left.length} file${left.length === 1 ? " is" : "s are"} too big or binary for a link (${left.slice(0, 3).join(", ")}${left.length > 3 ? "…" : ""})`);
  return { url, notes };
}

$("share").addEventListener("click", async () => {
  const { url, notes } = await shareLink();
  $("share-url").value = url;
  $("share-notes").textContent = notes.length ? `Not included: ${notes.join("; ")}.` : "Everything is in the link: module, arguments, environment, policy and files.";
  $("share-dialog").showModal();
  $("share-url").select();
});
$("share-copy").addEventListener("click", async (e) => {
  e.preventDefault();
  try {
    await navigator.clipboard.writeText($("share-url").value);
    $("share-copy").textContent = "Copied";
  } catch {
    $("share-url").select(); // the clipboard is refused: the link is selected for Ctrl-C
  }
});

/** Restore a #share= set-up: fields, files (written over the saved ones), then the module. */
async function openShared(hash) {
  const setup = await decodeShare(hash);
  $("env").value = setup.env ?? "";
  $("policy").value = setup.policy ?? "";
  for (const [path, text] of Object.entries(setup.files ?? {})) {
    state.fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
    state.fs.writeFile(path, text);
  }
  refreshTree(Object.keys(setup.files ?? {}));
  rememberSettings();
  const example = EXAMPLES.find((x) => x.id === setup.module?.example);
  // The address then names the module alone: a reload keeps the user's edits, not the link's.
  history.replaceState(null, "", location.pathname);
  if (example) await loadExample(example);
  else if (setup.module?.url && await loadFromUrl(setup.module.url)) {
    history.replaceState(null, "", `?url=${encodeURIComponent(setup.module.url)}`);
    terminal.note(`loaded ${setup.module.url}`);
  }
  $("args").value = setup.args ?? "";
  terminal.note("opened a shared set-up: module, arguments, environment, policy and files");
}

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
$("stub-imports").addEventListener("change", () => setRunning(Boolean(state.job)));
$("download-output").addEventListener("click", downloadOutput);
$("download-full").addEventListener("click", downloadOutput);
// On-screen keys, for phones: what Ctrl-C, Ctrl-D and Tab do in the terminal.
for (const key of document.querySelectorAll(".soft-keys [data-key]")) {
  key.addEventListener("click", () => {
    terminal.press(key.dataset.key);
    terminal.focus();
  });
}
for (const id of ["args", "env"]) {
  $(id).addEventListener("input", () => setRunning(Boolean(state.job))); // errors show as you type
}
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
  if (await restore()) checkPolicy();
  else {
    starterFiles();
    refreshTree();
  }
  setStatus("idle", "idle");
  terminal.write("stdout", new TextEncoder().encode(
    "\x1b[1;36mCove playground\x1b[0m — WASI programs, sandboxed, in your browser.\r\n" +
    "Pick an example, open a .wasm or drop one here, then Run (Ctrl-Enter).\r\n\r\n"));
  const wanted = new URLSearchParams(location.search).get("url");
  const example = EXAMPLES.find((x) => x.id === location.hash.slice(1)) ?? EXAMPLES[0];
  if (location.hash.startsWith(SHARE_PREFIX)) {
    try {
      await openShared(location.hash);
    } catch (e) {
      loadError(`Could not open the link: ${e.message}`);
      await loadExample(EXAMPLES[0]);
    }
  } else if (wanted) {
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
window.playground = { state, terminal, run, stop, loadExample, refreshTree };
