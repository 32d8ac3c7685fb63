// Small helpers the views share: building elements (text is only ever a text node), calling
// the sandbox's API, and toasts.

/** An element with attributes, properties (`on…` handlers, `className`) and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "className") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style") Object.assign(element.style, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Append children: nodes as they are, strings and numbers as text, arrays flattened. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** POST a JSON object to the sandbox's API; rejects with the server's own message. */
export async function post(path, body) {
  const response = await fetch(`/sandbox/api/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `${response.status} ${response.statusText}`);
  return answer;
}

/** GET JSON from the sandbox's API. */
export async function get(path) {
  const response = await fetch(`/sandbox/api/${path}`);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.json();
}

/** A short message over the page, gone after a few seconds. */
export function toast(text, kind = "info") {
  const box = document.getElementById("toasts");
  const item = h("div", { className: `toast toast-${kind}`, role: "status" }, text);
  box.append(item);
  setTimeout(() => item.classList.add("leaving"), 3200);
  setTimeout(() => item.remove(), 3600);
}

/** A message that stays until dismissed, as Telegram's show_alert answers do. */
export function alertBox(text) {
  const dialog = document.getElementById("alert");
  dialog.querySelector(".alert-text").textContent = text;
  dialog.showModal();
}

/** Run an action, showing its failure as a toast rather than failing silently. */
export async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    toast(error.message, "error");
    return undefined;
  }
}

/** Keep a scrolled list at its end when it was there before a change. */
export function keepAtEnd(list, change) {
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  change();
  if (atEnd) list.scrollTop = list.scrollHeight;
}

/** Call `action` once typing pauses for `wait` milliseconds. */
export function debounce(action, wait) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), wait);
  };
}

/** Open a web address in a new tab, without giving that page a handle on this one. */
export function openTab(url) {
  const safe = safeUrl(url);
  if (safe !== null) window.open(safe, "_blank", "noopener,noreferrer");
}

/** Only web, Telegram and mail links are followed; anything else (javascript:...) is not. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ["http:", "https:", "tg:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

const SVG = "http://www.w3.org/2000/svg";
// Line icons drawn here rather than emoji, which not every system has a font for.
const ICONS = {
  photo: "M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15.5 8.5a1.5 1.5 0 1 0 .01 0",
  article: "M6 3h8l4 4v14H6z M9 11h6 M9 15h6 M9 19h4",
  eye: "M2 12s3.5-6 10-6 10 6 10 6-3.5 6-10 6S2 12 2 12z M12 9a3 3 0 1 0 .01 0",
  file: "M6 3h8l4 4v14H6z M14 3v4h4 M12 10v7 M9 14l3 3 3-3",
};

/** A small line icon: photo, article, eye or file. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

/** Hours and minutes of a time, as chat apps show it. */
export function clock(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** A file's size as chat apps show it: "812 B", "4.2 KB", "1.5 MB". */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 1 })} ${units[unit]}`;
}

/** A downloadable file: its icon, name and size, saved from the sandbox under its own name. */
export function fileLink(href, name, bytes, className) {
  return h("a", { className, href, download: name, title: name },
    h("span", { className: `${className}-icon` }, icon("file")),
    h("span", { className: `${className}-text` },
      h("span", { className: `${className}-name` }, name),
      h("span", { className: `${className}-size` }, fileSize(bytes))));
}
