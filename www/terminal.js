// The playground's terminal: xterm.js showing the guest's stdout/stderr, with a local line editor
// for stdin. WASI guests read cooked lines (there is no tty to put in raw mode), so typing is
// echoed and edited here and the whole line is sent on Enter, like a shell's canonical mode.
//
// Everything shown goes through one queue that reaches xterm once per animation frame; `write`
// returns a Promise that settles when xterm has parsed that frame's text, which the page hands
// back to the Worker runner as its flow control (js/src/output-flow.js): a guest that prints
// without end waits for the terminal instead of flooding it.
//
// Keyboard: Tab and Shift-Tab leave the terminal like any other control (WCAG 2.1.2); Ctrl-M
// toggles "Tab types a tab" for programs that read tabs, as Monaco's Ctrl-M does.
import { Terminal } from "/node_modules/@xterm/xterm/lib/xterm.mjs";
import { FitAddon } from "/node_modules/@xterm/addon-fit/lib/addon-fit.mjs";

const THEME = {
  background: "#070a12", foreground: "#d7deea", cursor: "#5eead4", cursorAccent: "#070a12",
  selectionBackground: "#33415580",
  black: "#1f2937", red: "#f87171", green: "#4ade80", yellow: "#fbbf24", blue: "#60a5fa",
  magenta: "#c084fc", cyan: "#5eead4", white: "#d7deea",
  brightBlack: "#6b7280", brightRed: "#fca5a5", brightGreen: "#86efac", brightYellow: "#fde68a",
  brightBlue: "#93c5fd", brightMagenta: "#d8b4fe", brightCyan: "#99f6e4", brightWhite: "#f8fafc",
};

const RED = "\x1b[31m", RESET = "\x1b[0m";
// Notes in a muted grey that still reads at 7:1 on the background (faint SGR 2 gave 4.2:1).
const NOTE_STYLES = { plain: "\x1b[38;2;160;170;190m", ok: "\x1b[32m", error: "\x1b[31m" };
export const SCROLLBACK = 5000;
/** A typed line as drawn: a tab as one "⇥" cell, so the editor's cursor arithmetic holds. */
const shown = (text) => text.replaceAll("\t", "⇥");

export class PlaygroundTerminal {
  // xterm parses writes later, so whether the cursor is at a line start is tracked here.
  atLineStart = true;
  /** Whether Tab types a tab into the line (Ctrl-M toggles it) instead of moving focus. */
  tabTypes = false;
  /** Lines of guest output since `countLines()` (more than the scrollback: the top was dropped). */
  outputLines = 0;
  #queued = "";        // text for xterm at the next animation frame
  #frame = null;       // { id, done: Promise, resolve }

  /**
   * @param {HTMLElement} element
   * @param {{ onLine(line: string): void, onEof(): void, onInterrupt(): void, onRunShortcut(): void, onTabMode?(tabTypes: boolean): void }} handlers
   */
  constructor(element, handlers) {
    this.handlers = handlers;
    this.term = new Terminal({
      theme: THEME, fontFamily: 'ui-monospace, "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: matchMedia("(max-width: 720px)").matches ? 12 : 13.5, lineHeight: 1.2,
      cursorBlink: true, convertEol: true, scrollback: SCROLLBACK,
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(element);
    this.refit();
    new ResizeObserver(() => this.refit()).observe(element);

    this.line = "";        // the line being typed, not yet sent
    this.cursor = 0;       // cursor position within `line`
    this.history = [];
    this.historyIndex = 0;
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    this.term.onData((data) => this.#input(data));
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown") return true;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        this.handlers.onRunShortcut();
        return false;
      }
      if (e.key === "m" && e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        this.tabTypes = !this.tabTypes;
        this.handlers.onTabMode?.(this.tabTypes);
        return false;
      }
      // Returning false leaves the key to the browser: Tab moves focus out of the terminal.
      if (e.key === "Tab" && (!this.tabTypes || e.shiftKey)) return false;
      return true;
    });
  }

  refit() {
    try { this.fit.fit(); } catch { /* not laid out yet */ }
  }

  focus() { this.term.focus(); }

  /**
   * Guest output: bytes decoded as a UTF-8 stream; stderr is shown in red. Resolves once xterm
   * has taken it in (the page's flow control).
   */
  write(stream, bytes) {
    const text = this.decoders[stream].decode(bytes, { stream: true });
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.outputLines++;
    this.#show(stream, text);
    return this.#frame?.done ?? Promise.resolve();
  }

  /** Start counting output lines again (a new run). */
  countLines() {
    this.outputLines = 0;
  }

  /** Whether this run's output no longer fits the scrollback (its first lines were dropped). */
  get truncated() {
    return this.outputLines > SCROLLBACK;
  }

  /** A note from the playground itself (run started, exit code…), on its own line. */
  note(text, style = "plain") {
    for (const [stream, decoder] of Object.entries(this.decoders)) this.#show(stream, decoder.decode());
    this.#emit(`${this.atLineStart ? "" : "\r\n"}${NOTE_STYLES[style]}${text}${RESET}\r\n`);
    this.atLineStart = true;
  }

  /** Queue text for xterm; the queue goes out as one write per animation frame. */
  #emit(text) {
    this.#queued += text;
    if (this.#frame) return;
    let resolve;
    const done = new Promise((r) => { resolve = r; });
    // A hidden tab gets no animation frames; a timer keeps its output (slowly) flowing.
    const flush = () => this.#flush();
    const id = document.hidden ? setTimeout(flush, 50) : requestAnimationFrame(flush);
    this.#frame = { id, done, resolve };
  }

  #flush() {
    const frame = this.#frame;
    this.#frame = null;
    if (!frame) return;
    const text = this.#queued;
    this.#queued = "";
    this.term.write(text, frame.resolve);
  }

  // Output that arrives while a line is half typed goes above it, and the typed text is drawn
  // again after it (after the guest's next prompt, typically), as line editors do.
  #show(stream, text) {
    if (!text) return;
    const typed = this.line;
    if (typed) this.#emit((this.cursor ? `\x1b[${this.cursor}D` : "") + "\x1b[K");
    this.#emit(stream === "stderr" ? RED + text + RESET : text);
    if (typed) {
      const back = [...typed].length - this.cursor;
      this.#emit(shown(typed) + (back > 0 ? `\x1b[${back}D` : ""));
    }
    this.atLineStart = !typed && text.endsWith("\n");
  }

  clear() {
    this.#flush();
    this.term.reset();
    this.line = "";
    this.cursor = 0;
    this.atLineStart = true;
  }

  /** Drop a half-typed line (a new run starts with a clean input line). */
  discardInput() {
    this.line = "";
    this.cursor = 0;
  }

  /** An on-screen key: "ctrl-c", "ctrl-d" or "tab" (a tab into the line, whatever Tab does). */
  press(key) {
    const ch = { "ctrl-c": "\x03", "ctrl-d": "\x04", tab: "\t" }[key];
    if (ch === "\t") this.#insert(ch);
    else if (ch) this.#key(ch);
  }

  #input(data) {
    // Pasted text arrives as one chunk: feed it character by character so newlines send lines.
    if (data.startsWith("\x1b")) return this.#escape(data);
    for (const ch of data) this.#key(ch);
  }

  #key(ch) {
    switch (ch) {
      case "\r": case "\n": {
        const line = this.line;
        const after = [...line].length - this.cursor; // move past the rest of the line first
        this.#emit((after > 0 ? `\x1b[${after}C` : "") + "\r\n");
        this.atLineStart = true;
        if (line && this.history[this.history.length - 1] !== line) this.history.push(line);
        this.historyIndex = this.history.length;
        this.line = "";
        this.cursor = 0;
        this.handlers.onLine(line);
        return;
      }
      case "\x7f": case "\b":
        if (this.cursor > 0) {
          const chars = [...this.line];
          chars.splice(this.cursor - 1, 1);
          this.line = chars.join("");
          this.cursor--;
          this.#redrawFrom(this.cursor, true);
        }
        return;
      case "\x03": // Ctrl-C: copies a selection, as terminals on the web do; otherwise interrupts
        if (this.term.hasSelection()) {
          navigator.clipboard?.writeText(this.term.getSelection()).catch(() => {});
          this.term.clearSelection();
          return;
        }
        this.#emit("^C\r\n");
        this.atLineStart = true;
        this.discardInput();
        this.handlers.onInterrupt();
        return;
      case "\x04": // Ctrl-D: EOF when the line is empty, like a terminal
        if (!this.line) this.handlers.onEof();
        return;
      case "\x15": // Ctrl-U: erase the line
        if (this.cursor) this.#emit(`\x1b[${this.cursor}D`);
        this.#emit("\x1b[K");
        this.line = "";
        this.cursor = 0;
        return;
      default:
        if (ch < " " && !(ch === "\t" && this.tabTypes)) return; // other control characters are not part of a line
        this.#insert(ch);
    }
  }

  #insert(ch) {
    const chars = [...this.line];
    chars.splice(this.cursor, 0, ch);
    this.line = chars.join("");
    this.cursor++;
    this.#redrawFrom(this.cursor - 1, false);
    this.atLineStart = false;
  }

  #escape(seq) {
    const len = [...this.line].length;
    if (seq === "\x1b[D" && this.cursor > 0) { this.cursor--; this.#emit(seq); }
    else if (seq === "\x1b[C" && this.cursor < len) { this.cursor++; this.#emit(seq); }
    else if (seq === "\x1b[H" || seq === "\x1bOH") { if (this.cursor) this.#emit(`\x1b[${this.cursor}D`); this.cursor = 0; }
    else if (seq === "\x1b[F" || seq === "\x1bOF") { if (len - this.cursor) this.#emit(`\x1b[${len - this.cursor}C`); this.cursor = len; }
    else if (seq === "\x1b[A" || seq === "\x1b[B") {
      if (!this.history.length) return;
      const step = seq === "\x1b[A" ? -1 : 1;
      this.historyIndex = Math.max(0, Math.min(this.history.length, this.historyIndex + step));
      this.#replaceLine(this.history[this.historyIndex] ?? "");
    }
  }

  #replaceLine(text) {
    if (this.cursor) this.#emit(`\x1b[${this.cursor}D`);
    this.#emit("\x1b[K" + shown(text));
    this.line = text;
    this.cursor = [...text].length;
  }

  /** Rewrite the line from character `from` to its end and put the cursor back in place. */
  #redrawFrom(from, deleted) {
    const chars = [...this.line];
    const tail = chars.slice(from).join("");
    if (deleted) this.#emit("\b");
    this.#emit(shown(tail) + "\x1b[K");
    const back = chars.length - this.cursor;
    if (back > 0) this.#emit(`\x1b[${back}D`);
  }
}
