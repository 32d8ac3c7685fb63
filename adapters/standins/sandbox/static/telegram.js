// The Telegram tab: your private chat with the bot and your group, drawn from exactly what the
// stand-in holds, and everything you do sent through the sandbox's API as Telegram's app would.

import {
  alertBox, attempt, clock, debounce, fileLink, h, icon, keepAtEnd, openTab, post, toast,
} from "./dom.js";
import { t } from "./labels.js";
import { telegramText } from "./telegram_text.js";

const COLOURS = ["#e17076", "#7bc862", "#e5ca77", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

export class TelegramView {
  constructor(root) {
    this.root = root;
    this.current = "private";
    this.chats = new Map();
    this.unread = { private: 0, group: 0 };
    this.inline = null;
    this.list = root.querySelector("#tg-messages");
    this.popup = root.querySelector("#tg-popup");
    this.input = root.querySelector("#tg-input");
    this.hooks = {
      onLink: (event, url) => this.followLink(event, url),
      onCommand: (command) => this.send(command),
    };
    root.querySelector("#tg-composer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    root.querySelector("#tg-menu").addEventListener("click", () => this.toggleMenu());
    this.photoInput = root.querySelector("#tg-photo");
    const attach = root.querySelector("#tg-attach");
    attach.append(icon("photo"));
    attach.addEventListener("click", () => this.photoInput.click());
    this.photoInput.addEventListener("change", () => this.sendPhoto());
    this.input.addEventListener("input", () => this.typed());
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.closePopup();
    });
    this.askInline = debounce((query) => this.inlineQuery(query), 300);
  }

  /** Show the state of every chat, as the stream or a language change gives it. */
  load(state) {
    this.state = state.telegram;
    this.chats = new Map(
      this.state.chats.map((chat) => [chat.key, { ...chat, byId: new Map(chat.messages.map((m) => [m.message_id, m])) }]),
    );
    this.renderChatList();
    this.renderChat();
  }

  /** Apply one change of a chat: a message sent, edited or deleted, or a button answered. */
  apply(change) {
    const chat = this.chats.get(change.chat);
    if (chat === undefined) return;
    if (change.kind === "callback_answered") {
      const answer = change.answer;
      if (answer?.text) (answer.show_alert ? alertBox : toast)(answer.text);
      this.root.querySelectorAll(".tg-key.pending").forEach((key) => key.classList.remove("pending"));
      return;
    }
    if (change.kind === "deleted") chat.byId.delete(change.message_id);
    else chat.byId.set(change.message_id, change.message);
    if (change.kind === "sent" && (change.chat !== this.current || this.root.hidden)) {
      this.unread[change.chat] += 1;
    }
    this.renderChatList();
    if (change.chat !== this.current) return;
    keepAtEnd(this.list, () => {
      const shown = this.list.querySelector(`[data-message-id="${change.message_id}"]`);
      if (change.kind === "deleted") shown?.remove();
      else if (shown) shown.replaceWith(this.message(change.message));
      else {
        this.list.querySelector(".tg-start")?.remove();
        this.list.append(this.message(change.message));
      }
    });
    // What you send yourself always comes into view, wherever the chat was scrolled.
    if (change.kind === "sent" && change.message.from?.id === this.state.you.id) {
      this.list.scrollTop = this.list.scrollHeight;
    }
  }

  /** The tab was shown again: what arrived meanwhile in the open chat is now read. */
  shown() {
    if (!this.state) return;
    this.unread[this.current] = 0;
    this.renderChatList();
  }

  renderChatList() {
    const items = [...this.chats.values()].map((chat) => {
      const messages = [...chat.byId.values()];
      const last = messages[messages.length - 1];
      const preview = last ? (last.text ?? last.caption ?? (last.photo ? t("photo") : last.document?.file_name ?? "")) : "";
      return h("li", {},
        h("button", {
          type: "button",
          className: `tg-chatlist-item${chat.key === this.current ? " active" : ""}`,
          dataset: { chat: chat.key },
          onclick: () => this.open(chat.key),
        },
        avatar(chat.title, chat.key === "private" ? this.state.bot.id : -chat.members),
        h("span", { className: "tg-chatlist-text" },
          h("span", { className: "tg-chatlist-title" }, chat.title),
          h("span", { className: "tg-chatlist-preview" }, preview.split("\n")[0])),
        h("span", { className: "tg-chatlist-side" },
          last ? h("span", { className: "tg-chatlist-time" }, clock(new Date(last.date * 1000))) : null,
          this.unread[chat.key] ? h("span", { className: "badge" }, this.unread[chat.key]) : null)));
    });
    this.root.querySelector("#tg-chatlist").replaceChildren(...items);
  }

  open(key) {
    this.current = key;
    this.unread[key] = 0;
    this.closePopup();
    this.renderChatList();
    this.renderChat();
    this.input.focus();
  }

  renderChat() {
    const chat = this.chats.get(this.current);
    const seed = chat.key === "private" ? this.state.bot.id : -chat.members;
    this.root.querySelector("#tg-header-avatar").replaceWith(
      Object.assign(avatar(chat.title, seed), { id: "tg-header-avatar" }),
    );
    this.root.querySelector("#tg-header-title").textContent = chat.title;
    this.root.querySelector("#tg-header-subtitle").textContent =
      chat.type === "private" ? t("bot") : t("members", { count: chat.members });
    const messages = [...chat.byId.values()].map((message) => this.message(message));
    if (messages.length === 0 && chat.type === "private") {
      messages.push(h("div", { className: "tg-start" },
        h("p", {}, t("whatCanThisBotDo")),
        h("button", { type: "button", onclick: () => this.send("/start") }, t("start"))));
    }
    this.list.replaceChildren(...messages);
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** One message: its bubble and, under it, its inline keyboard. */
  message(message) {
    const mine = message.from?.id === this.state.you.id;
    const chat = this.chats.get(this.current);
    const bubble = h("div", { className: "tg-bubble" });
    if (!mine && chat.type !== "private" && message.from) {
      const sender = message.from;
      bubble.append(h("div", { className: "tg-sender", style: { color: colour(sender.id) } }, sender.first_name));
    }
    if (message.via_bot) bubble.append(h("div", { className: "tg-via" }, `via @${message.via_bot.username}`));
    if (message.reply_to_message) bubble.append(quote(message.reply_to_message));
    if (message.photo) bubble.append(photo(message.photo));
    if (message.document) bubble.append(documentFile(message.document));
    const text = h("div", { className: "tg-text" }, telegramText(message, this.hooks));
    if (text.childNodes.length) bubble.append(text);
    const edited = message.edit_date ? "edited " : "";
    bubble.append(h("span", { className: "tg-meta" }, edited + clock(new Date(message.date * 1000))));
    const row = h("div", {
      className: `tg-row ${mine ? "out" : "in"}`,
      dataset: { messageId: message.message_id },
    }, bubble);
    const keyboard = message.reply_markup?.inline_keyboard;
    if (keyboard) row.append(this.keyboard(message, keyboard));
    return row;
  }

  keyboard(message, rows) {
    return h("div", { className: "tg-keyboard" }, rows.map((keys, row) =>
      h("div", { className: "tg-keyboard-row" }, keys.map((key, column) => {
        const button = h("button", {
          type: "button",
          className: `tg-key${key.url ? " tg-key-url" : ""}`,
          title: key.url ?? "",
        }, key.text);
        button.addEventListener("click", () => this.pressKey(message, key, row, column, button));
        return button;
      }))));
  }

  async pressKey(message, key, row, column, button) {
    if (key.callback_data !== undefined) {
      button.classList.add("pending");
      const body = { chat: this.current, message_id: message.message_id, row, column };
      await attempt(() => post("telegram/press", body));
      button.classList.remove("pending");
    } else if (key.url !== undefined) {
      if (this.isBotLink(key.url)) await this.openBotLink(key.url);
      else openTab(key.url);
    } else if (key.switch_inline_query !== undefined) {
      // Telegram asks where to share; the group is the one other chat here.
      this.open("group");
      this.setInput(`@${this.state.bot.username} ${key.switch_inline_query}`);
    } else if (key.switch_inline_query_current_chat !== undefined) {
      this.setInput(`@${this.state.bot.username} ${key.switch_inline_query_current_chat}`);
    } else if (key.copy_text !== undefined) {
      await navigator.clipboard?.writeText(key.copy_text.text);
      toast(t("copied"));
    } else {
      toast(t("buttonDoesNothing"));
    }
  }

  followLink(event, url) {
    if (this.isBotLink(url)) {
      event.preventDefault();
      this.openBotLink(url);
    }
  }

  /** A t.me link to the bot opens your private chat with it, as in Telegram's app. */
  isBotLink(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const path = parsed.pathname.replace(/^\/|\/$/g, "").toLowerCase();
    return ["t.me", "telegram.me"].includes(parsed.host) && path === this.state.bot.username.toLowerCase();
  }

  async openBotLink(url) {
    this.open("private");
    await attempt(() => post("telegram/open_link", { url }));
  }

  setInput(text) {
    this.input.value = text;
    this.input.focus();
    this.typed();
  }

  async send(text) {
    return attempt(() => post("telegram/send", { chat: this.current, text }));
  }

  /** Send the chosen picture as Telegram's app does: a JPEG, the box's text as its caption. */
  async sendPhoto() {
    const [file] = this.photoInput.files;
    this.photoInput.value = "";
    if (!file) return;
    const jpeg = await appJpeg(file);
    if (jpeg === null) {
      toast(t("notAPicture"), "error");
      return;
    }
    const caption = this.input.value;
    this.input.value = "";
    const sent = await attempt(() => post("telegram/send_photo", { chat: this.current, jpeg, caption }));
    if (sent === undefined && this.input.value === "") this.input.value = caption;
  }

  async submit() {
    const text = this.input.value;
    if (this.inlineQueryOf(text) !== null) {
      const first = this.popup.querySelector(".tg-result");
      if (first) first.click();
      return;
    }
    if (!text.trim()) return;
    this.input.value = "";
    this.closePopup();
    const sent = await this.send(text);
    // Refused: the text comes back to the box to be corrected, unless typing went on.
    if (sent === undefined && this.input.value === "") this.input.value = text;
  }

  /** The words after `@bot ` when the box is in inline mode; null otherwise. */
  inlineQueryOf(text) {
    const prefix = `@${this.state.bot.username}`;
    if (text.toLowerCase() === prefix.toLowerCase()) return "";
    if (!text.toLowerCase().startsWith(`${prefix.toLowerCase()} `)) return null;
    return text.slice(prefix.length + 1);
  }

  typed() {
    const text = this.input.value;
    const query = this.inlineQueryOf(text);
    if (query !== null) {
      this.askInline(query);
    } else if (/^\/\S*$/.test(text)) {
      this.showMenu(text.slice(1).toLowerCase());
    } else {
      this.closePopup();
    }
  }

  async inlineQuery(query) {
    if (this.inlineQueryOf(this.input.value) !== query) return;
    const chat = this.current;
    const answer = await attempt(() => post("telegram/inline_query", { chat, query }));
    // Typing went on while the bot answered: a newer query is on its way.
    if (answer === undefined || this.inlineQueryOf(this.input.value) !== query) return;
    const results = answer.results.map((result) =>
      h("button", {
        type: "button",
        className: "tg-result",
        onclick: () => this.choose(chat, answer.query_id, result.id),
      },
      h("span", { className: "tg-result-thumb" }, icon(result.type === "photo" ? "photo" : "article")),
      h("span", { className: "tg-result-text" },
        h("span", { className: "tg-result-title" }, result.title ?? result.caption ?? result.id),
        h("span", { className: "tg-result-description" }, result.description ?? ""))));
    this.showPopup(results.length ? results : [h("div", { className: "tg-popup-empty" }, "No results")]);
  }

  async choose(chat, queryId, resultId) {
    this.input.value = "";
    this.closePopup();
    await attempt(() => post("telegram/choose", { chat, query_id: queryId, result_id: resultId }));
  }

  toggleMenu() {
    if (this.popup.hidden) this.showMenu("");
    else this.closePopup();
  }

  showMenu(typed) {
    const menu = this.state.commands[this.chats.get(this.current).type === "private" ? "private" : "group"];
    const items = menu.filter((item) => item.command.startsWith(typed)).map((item) =>
      h("button", {
        type: "button",
        className: "tg-command",
        onclick: () => {
          this.input.value = "";
          this.closePopup();
          this.send(`/${item.command}`);
        },
      }, h("span", { className: "tg-command-name" }, `/${item.command}`),
      h("span", { className: "tg-command-description" }, item.description)));
    if (items.length) this.showPopup(items);
    else this.closePopup();
  }

  showPopup(items) {
    this.popup.replaceChildren(...items);
    this.popup.hidden = false;
  }

  closePopup() {
    this.popup.hidden = true;
    this.popup.replaceChildren();
  }
}

function avatar(title, seed) {
  const initials = title.split(/\s+/).filter(Boolean).slice(0, 2).map((word) => word[0]).join("");
  return h("span", { className: "avatar", style: { background: colour(seed) }, "aria-hidden": "true" }, initials.toUpperCase());
}

function colour(seed) {
  return COLOURS[Math.abs(Number(seed)) % COLOURS.length];
}

function photo(sizes) {
  // An uploaded photo shows its pixels; one sent by URL has none the stand-in could fetch
  // (its address answers 404), and its frame keeps the proportions it would have.
  const largest = sizes[sizes.length - 1];
  const pixels = h("img", {
    className: "tg-photo-pixels",
    src: `/sandbox/api/telegram/photo/${encodeURIComponent(largest.file_id)}`,
    alt: "",
    onerror: (event) => event.target.remove(),
  });
  return h("div", {
    className: "tg-photo",
    style: { aspectRatio: `${largest.width} / ${largest.height}` },
    role: "img",
    "aria-label": t("photo"),
  }, icon("photo"), pixels);
}

function documentFile(file) {
  const href = `/sandbox/api/telegram/document/${encodeURIComponent(file.file_id)}`;
  return fileLink(href, file.file_name ?? t("file"), file.file_size ?? 0, "tg-document");
}

function quote(replied) {
  const text = replied.text ?? replied.caption ?? (replied.photo ? t("photo") : replied.document?.file_name ?? "");
  return h("div", { className: "tg-quote" },
    h("span", { className: "tg-quote-name" }, replied.from?.first_name ?? ""),
    h("span", { className: "tg-quote-text" }, text.split("\n")[0]));
}

/** A picture as Telegram's app sends a photo: a JPEG at most 1280 pixels a side, in base64;
 * null when the browser cannot read it as a picture. */
async function appJpeg(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
  const canvas = h("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.87));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
