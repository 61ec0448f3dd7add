// The Files panel: a tree view of the playground's MemFS with open / download / delete per entry.
import { list, parentOf } from "./vfs.js";
import { formatBytes } from "./format.js";

const svg = (d) => `<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="${d}" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" stroke-linecap="round"/></svg>`;
const ICONS = {
  folder: svg("M1.5 4A1.5 1.5 0 0 1 3 2.5h3l1.5 1.5H13A1.5 1.5 0 0 1 14.5 5.5v6.5A1.5 1.5 0 0 1 13 13.5H3A1.5 1.5 0 0 1 1.5 12V4Z"),
  open: svg("M1.5 12V4A1.5 1.5 0 0 1 3 2.5h3l1.5 1.5H12A1.5 1.5 0 0 1 13.5 5.5V7 M1.5 12l2-5h11l-2 6.5H3A1.5 1.5 0 0 1 1.5 12Z"),
  file: svg("M9 1.5H4a1.5 1.5 0 0 0-1.5 1.5v10A1.5 1.5 0 0 0 4 14.5h8a1.5 1.5 0 0 0 1.5-1.5V6L9 1.5Z M9 1.5V6h4.5"),
  link: svg("M6.5 9.5l3-3 M7 4.5l1.5-1.5a2.8 2.8 0 0 1 4 4L11 8.5 M9 11.5l-1.5 1.5a2.8 2.8 0 0 1-4-4L5 7.5"),
};

export class FileTree {
  /**
   * @param {HTMLUListElement} root
   * @param {{ onOpen(path): void, onDownload(path): void, onDelete(path, kind): void, onSelect(dir): void }} handlers
   */
  constructor(root, handlers) {
    this.root = root;
    this.handlers = handlers;
    this.expanded = new Set(["/"]);
    this.selected = "/";       // the selected entry (file or folder)
    this.targetDir = "/";      // where new files and uploads go: the selected folder, or a file's folder
    this.fresh = new Set();    // paths to highlight once (changed by the last run or upload)
  }

  /** Re-render from `fs`; `fresh` paths flash briefly so the user sees what changed. */
  render(fs, fresh = []) {
    for (const p of fresh) {
      this.fresh.add(p);
      for (let dir = parentOf(p); dir !== "/"; dir = parentOf(dir)) this.expanded.add(dir);
    }
    this.fs = fs;
    const hadFocus = this.root.contains(document.activeElement);
    this.root.replaceChildren(...this.#children("/"));
    const current = this.root.querySelector('[aria-selected="true"]') ?? this.root.querySelector('[role="treeitem"]');
    if (current) current.tabIndex = 0;
    if (hadFocus) current?.focus(); // keyboard users keep their place
    if (!this.root.children.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "empty — create or drop a file";
      this.root.append(empty);
    }
    this.fresh.clear();
  }

  #children(dir) {
    let entries;
    try {
      entries = list(this.fs, dir);
    } catch {
      return [];
    }
    return entries.map((e) => this.#item(e));
  }

  #item(entry) {
    const li = document.createElement("li");
    li.className = entry.kind;
    li.setAttribute("role", "treeitem");
    li.dataset.path = entry.path;

    const row = document.createElement("div");
    row.className = "row";
    if (entry.path === this.selected) row.classList.add("selected");
    if (this.fresh.has(entry.path)) row.classList.add("fresh");
    const open = entry.kind === "dir" && this.expanded.has(entry.path);
    // The treeitem itself takes focus, so a screen reader announces it with its state.
    li.setAttribute("aria-selected", String(entry.path === this.selected));
    if (entry.kind === "dir") li.setAttribute("aria-expanded", String(open));
    const glyph = entry.kind === "dir" ? (open ? ICONS.open : ICONS.folder) : entry.kind === "symlink" ? ICONS.link : ICONS.file;
    row.innerHTML = `<span class="glyph">${glyph}</span><span class="name"></span><span class="size"></span><span class="acts"></span>`;
    row.querySelector(".name").textContent = entry.name;
    row.title = entry.path;
    if (entry.kind === "file") row.querySelector(".size").textContent = formatBytes(entry.size);

    const acts = row.querySelector(".acts");
    if (entry.kind === "file") acts.append(this.#action("⤓", `Download ${entry.path}`, () => this.handlers.onDownload(entry.path)));
    acts.append(this.#action("✕", `Delete ${entry.path}`, () => this.handlers.onDelete(entry.path, entry.kind)));

    // One Tab stop for the whole tree (the selected entry); arrows move within it (tree pattern
    // of the ARIA Authoring Practices): Up/Down, Right/Left open and close a folder, Enter or
    // Space opens, Delete deletes. The per-row buttons are for the mouse.
    li.tabIndex = -1;
    li.addEventListener("keydown", (e) => {
      if (e.target !== li) return;
      const handled = this.#key(e.key, entry, open, row);
      if (handled) e.preventDefault();
    });
    row.addEventListener("click", () => {
      this.#select(entry);
      if (entry.kind === "dir") {
        if (open) this.expanded.delete(entry.path);
        else this.expanded.add(entry.path);
        this.render(this.fs);
      } else {
        this.render(this.fs);
        if (entry.kind === "file") this.handlers.onOpen(entry.path);
      }
    });
    li.append(row);
    if (open) {
      const ul = document.createElement("ul");
      ul.setAttribute("role", "group");
      ul.append(...this.#children(entry.path));
      li.append(ul);
    }
    return li;
  }

  #key(key, entry, open, row) {
    if (key === "Enter" || key === " ") row.click();
    else if (key === "Delete") this.handlers.onDelete(entry.path, entry.kind);
    else if (key === "ArrowDown" || key === "ArrowUp") {
      const items = [...this.root.querySelectorAll('[role="treeitem"]')];
      const at = items.indexOf(document.activeElement);
      this.#focus(items[Math.max(0, Math.min(items.length - 1, at + (key === "ArrowDown" ? 1 : -1)))]);
    } else if (key === "ArrowRight" && entry.kind === "dir" && !open) row.click();
    else if (key === "ArrowLeft" && entry.kind === "dir" && open) row.click();
    else return false;
    return true;
  }

  /** Move the tree's one Tab stop to `item` and focus it. */
  #focus(item) {
    if (!item) return;
    for (const other of this.root.querySelectorAll('[role="treeitem"][tabindex="0"]')) other.tabIndex = -1;
    item.tabIndex = 0;
    item.focus();
  }

  #action(text, title, fn) {
    const b = document.createElement("button");
    b.textContent = text;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.tabIndex = -1; // the keyboard has Enter (open, then Download) and Delete on the entry
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      fn();
    });
    return b;
  }

  #select(entry) {
    this.selected = entry.path;
    this.targetDir = entry.kind === "dir" ? entry.path : parentOf(entry.path);
    this.handlers.onSelect(this.targetDir);
  }

  /** Forget selections that no longer exist (after a delete or a run). */
  resetSelection() {
    this.selected = "/";
    this.targetDir = "/";
    this.handlers.onSelect("/");
  }
}
