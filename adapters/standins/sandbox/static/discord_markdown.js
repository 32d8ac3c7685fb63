// Discord's markdown as its client shows it: headings, quotes, lists, code, bold, italics,
// underline, strike-through, spoilers, links, mentions and timestamps. Every piece of text
// becomes a text node; nothing is ever parsed as HTML.

import { h, safeUrl } from "./dom.js";

const INLINE = new RegExp(
  [
    String.raw`\\([*_~|\x60\\<>#\[\]()-])`, // 1: an escaped character
    String.raw`\x60([^\x60]+)\x60`, // 2: code
    String.raw`\*\*([\s\S]+?)\*\*`, // 3: bold
    String.raw`__([\s\S]+?)__`, // 4: underline
    String.raw`\*([^*\s](?:[^*]*?[^*\s])?)\*`, // 5: italics
    String.raw`\b_([^_]+?)_\b`, // 6: italics
    String.raw`~~([\s\S]+?)~~`, // 7: strike-through
    String.raw`\|\|([\s\S]+?)\|\|`, // 8: spoiler
    String.raw`\[([^\]]+)\]\(<?(https?:\/\/[^)\s>]+)>?\)`, // 9, 10: a masked link
    String.raw`<(https?:\/\/[^>\s]+)>`, // 11: a link without preview
    String.raw`(https?:\/\/[^\s<]+[^\s<.,:;"')\]])`, // 12: a bare link
    String.raw`<#(\d+)>`, // 13: a channel
    String.raw`<@!?(\d+)>`, // 14: a member
    String.raw`<@&(\d+)>`, // 15: a role
    String.raw`<t:(-?\d+)(?::([tTdDfFR]))?>`, // 16, 17: a timestamp
    String.raw`<a?:(\w+):\d+>`, // 18: a custom emoji
  ].join("|"),
  "g",
);

/** The nodes showing a text written in Discord's markdown. */
export function discordMarkdown(text, names) {
  const out = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.startsWith("```")) {
      const block = [];
      let end = index + 1;
      for (; end < lines.length && !lines[end].startsWith("```"); end += 1) block.push(lines[end]);
      out.push(h("pre", {}, h("code", {}, block.join("\n"))));
      index = end;
      continue;
    }
    out.push(blockLine(line, names));
    if (index < lines.length - 1 && !isBlock(line)) out.push("\n");
  }
  return out;
}

function isBlock(line) {
  return /^(#{1,3} |-# |> |[-*] )/.test(line);
}

function blockLine(line, names) {
  const heading = /^(#{1,3}) (.*)$/.exec(line);
  if (heading) return h(`h${heading[1].length + 2}`, { className: "md-heading" }, inline(heading[2], names));
  if (line.startsWith("-# ")) return h("div", { className: "md-subtext" }, inline(line.slice(3), names));
  if (line.startsWith("> ")) return h("blockquote", {}, inline(line.slice(2), names));
  if (/^[-*] /.test(line)) return h("div", { className: "md-item" }, "• ", inline(line.slice(2), names));
  return inline(line, names);
}

/** Inline markdown, recursively: bold may hold italics, a link may be bold. */
export function inline(text, names) {
  const out = [];
  let position = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > position) out.push(text.slice(position, match.index));
    out.push(token(match, names));
    position = match.index + match[0].length;
  }
  if (position < text.length) out.push(text.slice(position));
  return out;
}

function token(m, names) {
  if (m[1] !== undefined) return m[1];
  if (m[2] !== undefined) return h("code", {}, m[2]);
  if (m[3] !== undefined) return h("strong", {}, inline(m[3], names));
  if (m[4] !== undefined) return h("u", {}, inline(m[4], names));
  if (m[5] !== undefined) return h("em", {}, inline(m[5], names));
  if (m[6] !== undefined) return h("em", {}, inline(m[6], names));
  if (m[7] !== undefined) return h("s", {}, inline(m[7], names));
  if (m[8] !== undefined) {
    const spoiler = h("span", { className: "spoiler", onclick: () => spoiler.classList.add("shown") }, inline(m[8], names));
    return spoiler;
  }
  if (m[9] !== undefined) return link(m[10], inline(m[9], names));
  if (m[11] !== undefined) return link(m[11], m[11]);
  if (m[12] !== undefined) return link(m[12], m[12]);
  if (m[13] !== undefined) return h("span", { className: "mention" }, `#${names.channels[m[13]] ?? "unknown"}`);
  if (m[14] !== undefined) return h("span", { className: "mention" }, `@${names.users[m[14]] ?? "unknown"}`);
  if (m[15] !== undefined) return h("span", { className: "mention" }, `@${names.roles[m[15]] ?? "unknown role"}`);
  if (m[16] !== undefined) return timestamp(Number(m[16]), m[17] ?? "f");
  return `:${m[18]}:`;
}

function link(url, children) {
  const safe = safeUrl(url);
  if (safe === null) return h("span", {}, children);
  return h("a", { href: safe, target: "_blank", rel: "noopener noreferrer" }, children);
}

const STYLES = {
  t: { timeStyle: "short" },
  T: { timeStyle: "medium" },
  d: { dateStyle: "short" },
  D: { dateStyle: "long" },
  f: { dateStyle: "long", timeStyle: "short" },
  F: { dateStyle: "full", timeStyle: "short" },
};

function timestamp(seconds, style) {
  const date = new Date(seconds * 1000);
  const shown = style === "R" ? relative(date) : date.toLocaleString([], STYLES[style]);
  return h("time", { className: "timestamp", datetime: date.toISOString(), title: date.toLocaleString() }, shown);
}

function relative(date) {
  const seconds = (date.getTime() - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat([], { numeric: "auto" });
  const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds), "second");
}
