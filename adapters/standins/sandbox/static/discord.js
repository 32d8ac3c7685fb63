// The Discord tab: your server's channels and your DMs with the bot, drawn from exactly what the
// stand-in holds, with slash commands, buttons, selects and forms sent as Discord's client would.

import {
  attempt, clock, debounce, fileLink, h, icon, keepAtEnd, openTab, post, safeUrl, toast,
} from "./dom.js";
import { discordMarkdown } from "./discord_markdown.js";
import { t } from "./labels.js";
import { openForm } from "./discord_forms.js";

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const BUTTON_STYLES = { 1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link" };

export class DiscordView {
  constructor(root) {
    this.root = root;
    this.current = null;
    this.channels = new Map();
    this.unread = new Map();
    this.offered = [];
    this.chosen = -1;
    this.list = root.querySelector("#dc-messages");
    this.input = root.querySelector("#dc-input");
    this.suggestionBox = root.querySelector("#dc-suggestions");
    root.querySelector("#dc-composer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("input", () => this.suggest());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.suggest = debounce(() => this.askSuggestions(), 150);
  }

  /** Show the state of every channel, as the stream or a language change gives it. */
  load(state) {
    this.state = state.discord;
    if (this.state === null) return;
    this.channels = new Map(this.state.channels.map((channel) => [
      channel.id, { ...channel, byId: new Map(channel.messages.map((m) => [m.id, m])) },
    ]));
    if (!this.channels.has(this.current)) this.current = this.state.channels[0].id;
    const initials = this.state.guild.name.split(/\s+/).map((word) => word[0]).join("");
    const icon = this.root.querySelector("#dc-server-icon");
    icon.textContent = initials;
    icon.title = this.state.guild.name;
    this.root.querySelector("#dc-guild-name").textContent = this.state.guild.name;
    this.root.querySelector("#dc-you").replaceChildren(
      h("span", { className: "dc-avatar small" }, this.state.you.name[0].toUpperCase()),
      h("span", {}, this.state.you.name),
    );
    this.renderChannels();
    this.renderChannel();
  }

  /** Apply one change: a message posted, edited or deleted, or a form the bot opened. */
  apply(change) {
    const channel = this.channels.get(change.channel_id);
    if (channel === undefined) return;
    if (change.kind === "modal") {
      openForm(change.interaction_id, change.modal, (values) => this.submitForm(change.interaction_id, values));
      return;
    }
    const message = change.message;
    if (change.kind === "message_deleted") channel.byId.delete(message.id);
    else channel.byId.set(message.id, message);
    if (change.kind === "message_created" && (change.channel_id !== this.current || this.root.hidden)) {
      this.unread.set(change.channel_id, (this.unread.get(change.channel_id) ?? 0) + 1);
      this.renderChannels();
    }
    if (change.channel_id !== this.current) return;
    keepAtEnd(this.list, () => {
      const shown = this.list.querySelector(`[data-message-id="${message.id}"]`);
      if (change.kind === "message_deleted") shown?.remove();
      else if (shown) shown.replaceWith(this.message(message));
      else this.list.append(this.message(message));
    });
  }

  /** The tab was shown again: what arrived meanwhile in the open channel is now read, and in
   * view (a list laid out while hidden had no height to scroll to its end). */
  shown() {
    if (!this.state) return;
    this.unread.delete(this.current);
    this.renderChannels();
    this.list.scrollTop = this.list.scrollHeight;
  }

  renderChannels() {
    const entry = (channel) => h("li", {},
      h("button", {
        type: "button",
        className: `dc-channel${channel.id === this.current ? " active" : ""}${this.unread.get(channel.id) ? " unread" : ""}`,
        dataset: { channel: channel.name, kind: channel.kind },
        onclick: () => this.open(channel.id),
      },
      h("span", { className: "dc-channel-sigil" }, channel.kind === "dm" ? "@" : "#"),
      channel.kind === "dm" ? this.state.bot.name : channel.name,
      this.unread.get(channel.id) ? h("span", { className: "badge" }, this.unread.get(channel.id)) : null));
    const all = [...this.channels.values()];
    this.root.querySelector("#dc-channels").replaceChildren(...all.filter((c) => c.kind === "text").map(entry));
    this.root.querySelector("#dc-dms").replaceChildren(...all.filter((c) => c.kind === "dm").map(entry));
  }

  open(channelId) {
    this.current = channelId;
    this.unread.delete(channelId);
    this.closeSuggestions();
    this.renderChannels();
    this.renderChannel();
    this.input.focus();
  }

  renderChannel() {
    const channel = this.channels.get(this.current);
    const dm = channel.kind === "dm";
    this.root.querySelector("#dc-header").replaceChildren(
      h("span", { className: "dc-channel-sigil" }, dm ? "@" : "#"),
      h("span", { className: "dc-header-name" }, dm ? this.state.bot.name : channel.name),
    );
    const where = dm ? `@${this.state.bot.name}` : `#${channel.name}`;
    this.input.placeholder = t("messageWhere", { where });
    this.list.replaceChildren(
      h("div", { className: "dc-welcome" },
        h("h2", {}, dm ? this.state.bot.name : t("welcomeTo", { channel: channel.name })),
        h("p", {}, dm ? t("dmStart") : t("channelStart"))),
      ...[...channel.byId.values()].map((message) => this.message(message)),
    );
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** One message: who used which command, the author, text, embeds, components. */
  message(message) {
    const ephemeral = (message.flags & EPHEMERAL) !== 0;
    const author = message.author;
    const body = h("div", { className: "dc-body" },
      h("div", { className: "dc-head" },
        h("span", { className: "dc-author" }, author.global_name ?? author.username),
        author.bot ? h("span", { className: "dc-app" }, "APP") : null,
        h("span", { className: "dc-time" }, clock(new Date(message.timestamp))),
        message.edited_timestamp ? h("span", { className: "dc-time" }, "(edited)") : null));
    if (message.flags & LOADING) {
      body.append(h("div", { className: "dc-thinking" }, `${author.username} is thinking…`));
    }
    if (message.content) body.append(h("div", { className: "dc-content" }, discordMarkdown(message.content, this.state.names)));
    for (const embed of message.embeds ?? []) body.append(this.embed(embed));
    for (const file of message.attachments ?? []) body.append(attachment(file));
    if (message.components?.length) body.append(this.components(message));
    if (ephemeral) body.append(h("div", { className: "dc-ephemeral-note" }, icon("eye"), ` ${t("onlyYou")}`));
    return h("div", {
      className: `dc-message${ephemeral ? " ephemeral" : ""}`,
      dataset: { messageId: message.id },
    }, used(message), h("div", { className: "dc-avatar" }, author.username[0].toUpperCase()), body);
  }

  embed(embed) {
    const colour = embed.color === undefined ? "#1e1f22" : `#${embed.color.toString(16).padStart(6, "0")}`;
    const markdown = (text) => discordMarkdown(text, this.state.names);
    const title = embed.title
      ? h("div", { className: "dc-embed-title" }, embed.url ? link(embed.url, embed.title) : embed.title)
      : null;
    const fields = (embed.fields ?? []).map((field) =>
      h("div", { className: `dc-field${field.inline ? " inline" : ""}` },
        h("div", { className: "dc-field-name" }, markdown(field.name)),
        h("div", { className: "dc-field-value" }, markdown(field.value))));
    return h("div", { className: "dc-embed", style: { borderLeftColor: colour } },
      h("div", { className: "dc-embed-main" },
        embed.author ? h("div", { className: "dc-embed-author" }, embed.author.name) : null,
        title,
        embed.description ? h("div", { className: "dc-embed-description" }, markdown(embed.description)) : null,
        fields.length ? h("div", { className: "dc-fields" }, fields) : null,
        embed.image ? picture(embed.image.url, "dc-embed-image") : null,
        embed.footer || embed.timestamp
          ? h("div", { className: "dc-embed-footer" },
            [embed.footer?.text, embed.timestamp && new Date(embed.timestamp).toLocaleString()].filter(Boolean).join(" • "))
          : null),
      embed.thumbnail ? picture(embed.thumbnail.url, "dc-embed-thumbnail") : null);
  }

  components(message) {
    return h("div", { className: "dc-components" }, message.components.map((row) =>
      h("div", { className: "dc-row" }, (row.components ?? []).map((component) =>
        component.type === 2 ? this.button(message, component) : this.select(message, component)))));
  }

  button(message, button) {
    const style = BUTTON_STYLES[button.style] ?? "secondary";
    const element = h("button", {
      type: "button",
      className: `dc-button ${style}`,
      disabled: Boolean(button.disabled),
      title: button.url ?? "",
    }, button.emoji?.name ? `${button.emoji.name} ` : null, button.label ?? "", style === "link" ? " ↗" : null);
    element.addEventListener("click", async () => {
      if (button.url) {
        openTab(button.url);
        return;
      }
      element.classList.add("pending");
      const body = { channel_id: message.channel_id, message_id: message.id, custom_id: button.custom_id };
      await this.interact("discord/press", body);
      element.classList.remove("pending");
    });
    return element;
  }

  select(message, select) {
    if (select.type !== 3) return h("div", { className: "dc-unsupported" }, "A select menu of members, roles or channels");
    const multiple = (select.max_values ?? 1) > 1;
    const element = h("select", {
      className: "dc-select",
      disabled: Boolean(select.disabled),
      multiple,
      "aria-label": select.placeholder ?? t("makeASelection"),
    },
    multiple ? null : h("option", { value: "", disabled: true, selected: true }, select.placeholder ?? t("makeASelection")),
    select.options.map((option) => h("option", { value: option.value, title: option.description ?? "" },
      option.emoji?.name ? `${option.emoji.name} ` : "", option.label)));
    const send = async () => {
      const values = [...element.selectedOptions].map((option) => option.value).filter(Boolean);
      const body = { channel_id: message.channel_id, message_id: message.id, custom_id: select.custom_id, values };
      await this.interact("discord/select", body);
    };
    if (!multiple) {
      element.addEventListener("change", send);
      return element;
    }
    return h("div", { className: "dc-multiselect" }, element,
      h("button", { type: "button", className: "dc-button primary", onclick: send }, "Apply"));
  }

  async interact(path, body) {
    const outcome = await attempt(() => post(path, body));
    // Discord's client says so when the application did not answer within 3 seconds.
    if (outcome && !outcome.answered) toast(t("noResponse"), "error");
    return outcome;
  }

  async submitForm(interactionId, values) {
    return this.interact("discord/submit_modal", { interaction_id: interactionId, values });
  }

  async submit() {
    const offered = this.offered[this.chosen];
    if (offered && this.chosen >= 0 && offered.complete.trim() !== this.input.value.trim()) {
      this.take(offered);
      return;
    }
    const text = this.input.value.trim();
    if (!text) return;
    if (!text.startsWith("/")) {
      toast(t("slashOnly"));
      return;
    }
    this.closeSuggestions();
    const outcome = await this.interact("discord/command", { channel_id: this.current, text });
    if (outcome !== undefined) this.input.value = "";
  }

  key(event) {
    if (this.suggestionBox.hidden) return;
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      const count = this.offered.length;
      this.chosen = (Math.max(this.chosen, -1) + moves[event.key] + count) % count;
      this.highlight();
    } else if (event.key === "Tab" && this.offered.length) {
      event.preventDefault();
      this.take(this.offered[Math.max(this.chosen, 0)]);
    } else if (event.key === "Escape") {
      this.closeSuggestions();
    }
  }

  async askSuggestions() {
    const text = this.input.value;
    if (!text.startsWith("/")) {
      this.closeSuggestions();
      return;
    }
    const answer = await attempt(() => post("discord/autocomplete", { channel_id: this.current, text }));
    // Typing went on meanwhile: a newer request is on its way.
    if (answer === undefined || this.input.value !== text) return;
    this.offered = answer.suggestions;
    this.chosen = this.offered.findIndex((suggestion) => suggestion.pick_on_enter) === 0 ? 0 : -1;
    if (!this.offered.length) {
      this.closeSuggestions();
      return;
    }
    this.suggestionBox.replaceChildren(...this.offered.map((suggestion, index) =>
      h("button", {
        type: "button",
        className: "dc-suggestion",
        role: "option",
        dataset: { index },
        onclick: () => this.take(suggestion),
      }, h("span", { className: "dc-suggestion-label" }, suggestion.label),
      h("span", { className: "dc-suggestion-description" }, suggestion.description))));
    this.suggestionBox.hidden = false;
    this.highlight();
  }

  highlight() {
    this.suggestionBox.querySelectorAll(".dc-suggestion").forEach((item, index) => {
      item.classList.toggle("chosen", index === this.chosen);
      item.setAttribute("aria-selected", String(index === this.chosen));
    });
  }

  take(suggestion) {
    this.input.value = suggestion.complete;
    this.input.focus();
    this.closeSuggestions();
    this.suggest();
  }

  closeSuggestions() {
    this.offered = [];
    this.chosen = -1;
    this.suggestionBox.hidden = true;
    this.suggestionBox.replaceChildren();
  }
}

/** "sam used /discover" above an answer to a command, as Discord shows it. */
function used(message) {
  const command = message.interaction;
  if (!command) return null;
  const user = command.user.global_name ?? command.user.username;
  return h("div", { className: "dc-used" }, "↱ ", h("span", { className: "dc-used-user" }, user), ` ${t("usedCommand")} `,
    h("span", { className: "dc-used-command" }, `/${command.name}`));
}

function attachment(file) {
  const href = `/sandbox/api/discord/attachment/${encodeURIComponent(file.id)}`;
  return fileLink(href, file.filename, file.size, "dc-attachment");
}

function link(url, text) {
  const safe = safeUrl(url);
  return safe ? h("a", { href: safe, target: "_blank", rel: "noopener noreferrer" }, text) : text;
}

/** An embed's picture; a neutral frame where it cannot be fetched (the sandbox may be offline). */
function picture(url, className) {
  const frame = h("div", { className: `${className} dc-picture` });
  if (!/^https?:/.test(safeUrl(url) ?? "")) return frame;
  const image = h("img", { src: url, alt: "", loading: "lazy", referrerpolicy: "no-referrer" });
  image.addEventListener("error", () => image.remove());
  frame.append(image);
  return frame;
}
