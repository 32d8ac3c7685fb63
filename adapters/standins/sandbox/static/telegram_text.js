// A message's text as Telegram's apps show it. The bot's HTML goes through a strict sanitizer
// that rebuilds only Telegram's own tags; text without HTML is drawn from its entities. Either
// way every character reaches the page as a text node, never as markup.

import { h, safeUrl } from "./dom.js";
import { t } from "./labels.js";

// Telegram's HTML subset, each tag to the element that shows it.
const TAGS = {
  b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u", s: "s", strike: "s", del: "s",
  a: "a", code: "code", pre: "pre", blockquote: "blockquote", "tg-spoiler": "span",
};

/** The nodes showing a message's text: from the bot's HTML when it sent some. */
export function telegramText(message, hooks) {
  const text = message.text ?? message.caption ?? "";
  if (message.html) return sanitizedHtml(message.html.trim(), hooks);
  return fromEntities(text, message.entities ?? message.caption_entities ?? [], hooks);
}

/** Rebuild Telegram's HTML subset with fresh elements; anything else keeps only its text. */
export function sanitizedHtml(html, hooks) {
  // A parsed, never-displayed document runs no script and loads nothing.
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return rebuild(parsed.body.childNodes, hooks);
}

function rebuild(nodes, hooks) {
  const out = [];
  for (const node of nodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.push(document.createTextNode(node.data));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      out.push(...rebuildElement(node, hooks));
    }
  }
  return out;
}

function rebuildElement(node, hooks) {
  const tag = node.tagName.toLowerCase();
  const children = rebuild(node.childNodes, hooks);
  const spoiler = tag === "tg-spoiler" || (tag === "span" && node.classList.contains("tg-spoiler"));
  if (spoiler) return [spoilerOf(children)];
  if (!(tag in TAGS)) return children;
  if (tag === "a") return [link(node.getAttribute("href") ?? "", children, hooks)];
  const element = h(TAGS[tag]);
  if (tag === "blockquote" && node.hasAttribute("expandable")) element.className = "expandable";
  element.append(...children);
  return [element];
}

function spoilerOf(children) {
  const element = h("span", {
    className: "spoiler",
    title: t("spoiler"),
    onclick: () => element.classList.add("shown"),
  });
  element.append(...children);
  return element;
}

function link(href, children, hooks) {
  const url = safeUrl(href);
  if (url === null) return h("span", {}, children);
  const element = h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, children);
  element.addEventListener("click", (event) => hooks.onLink(event, url));
  return element;
}

/** Text with Bot API entities (offsets in UTF-16 units, as JavaScript strings count). */
export function fromEntities(text, entities, hooks) {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  return build(text, sorted, 0, text.length, hooks);
}

function build(text, entities, start, end, hooks) {
  const out = [];
  let position = start;
  for (let index = 0; index < entities.length; ) {
    const entity = entities[index];
    // An entity that crosses one already drawn is dropped, as apps do.
    if (entity.offset < position) {
      index += 1;
      continue;
    }
    const stop = entity.offset + entity.length;
    if (entity.offset > position) out.push(text.slice(position, entity.offset));
    const inner = [];
    let next = index + 1;
    for (; next < entities.length && entities[next].offset < stop; next += 1) {
      if (entities[next].offset + entities[next].length <= stop) inner.push(entities[next]);
    }
    const children = build(text, inner, entity.offset, stop, hooks);
    out.push(drawn(entity, children, text.slice(entity.offset, stop), hooks));
    position = stop;
    index = next;
  }
  if (position < end) out.push(text.slice(position, end));
  return out;
}

function drawn(entity, children, covered, hooks) {
  switch (entity.type) {
    case "bold": return h("b", {}, children);
    case "italic": return h("i", {}, children);
    case "underline": return h("u", {}, children);
    case "strikethrough": return h("s", {}, children);
    case "code": return h("code", {}, children);
    case "pre": return h("pre", {}, children);
    case "blockquote": case "expandable_blockquote": return h("blockquote", {}, children);
    case "spoiler": return spoilerOf(children);
    case "text_link": return link(entity.url, children, hooks);
    case "url": return link(covered.includes("://") ? covered : `https://${covered}`, children, hooks);
    case "email": return link(`mailto:${covered}`, children, hooks);
    case "bot_command":
      return h("a", { className: "command", href: "#", onclick: (event) => {
        event.preventDefault();
        hooks.onCommand(covered);
      } }, children);
    default: return h("span", { className: `entity-${entity.type}` }, children);
  }
}
