// The page: two tabs, your language, the controls that close a campaign and publish a draft,
// and the live stream that keeps both chat apps showing what the stand-ins hold. Web pages send
// people here as they would send them to the apps: `?telegram=<t.me link to the bot>` follows
// that link in your private chat, `?discord` opens the Discord tab.

import { alertBox, attempt, debounce, get, h, post, toast } from "./dom.js";
import { DiscordView } from "./discord.js";
import { percent, setLanguage, t } from "./labels.js";
import { TelegramView } from "./telegram.js";

const telegram = new TelegramView(document.getElementById("telegram"));
const discord = new DiscordView(document.getElementById("discord"));
const views = { telegram, discord };
const arrival = new URLSearchParams(window.location.search);
// Followed once the first state says who the bot is.
let linkToFollow = arrival.get("telegram");

function load(state) {
  setLanguage(state.language);
  telegram.load(state);
  discord.load(state);
  document.getElementById("tab-discord").hidden = state.discord === null;
  if (state.discord === null && !discord.root.hidden) showTab("telegram");
  for (const button of document.querySelectorAll("[data-language]")) {
    button.setAttribute("aria-pressed", String(button.dataset.language === state.language));
  }
  document.documentElement.lang = state.language;
  document.body.dataset.ready = "true";
  if (linkToFollow !== null && telegram.isBotLink(linkToFollow)) {
    showTab("telegram");
    telegram.openBotLink(linkToFollow);
  }
  linkToFollow = null;
}

function showTab(name) {
  for (const [key, view] of Object.entries(views)) {
    const selected = key === name;
    document.getElementById(`tab-${key}`).setAttribute("aria-selected", String(selected));
    view.root.hidden = !selected;
    if (selected) view.shown();
  }
  history.replaceState(null, "", name === "telegram" ? "/" : `/#${name}`);
}

for (const name of Object.keys(views)) {
  document.getElementById(`tab-${name}`).addEventListener("click", () => showTab(name));
}
showTab(window.location.hash === "#discord" || arrival.has("discord") ? "discord" : "telegram");

for (const button of document.querySelectorAll("[data-language]")) {
  button.addEventListener("click", async () => {
    const state = await attempt(() => post("language", { language: button.dataset.language }));
    if (state !== undefined) load(state);
  });
}

/** Offer `campaigns` in a control's list, or ask for a slug when there is no list; hide the
 * control when it cannot act or there is nothing to act on. */
function offer(name, can, campaigns) {
  const form = document.getElementById(name);
  const choice = document.getElementById(`${name}-choice`);
  const typed = document.getElementById(`${name}-slug`);
  form.hidden = !can || campaigns?.length === 0;
  // Without a list, the slug is typed.
  choice.hidden = !campaigns;
  typed.hidden = !choice.hidden;
  if (form.hidden || choice.hidden) return;
  const kept = choice.value;
  choice.replaceChildren(...campaigns.map(({ slug, title }) =>
    h("option", { value: slug, title }, title.length > 40 ? `${title.slice(0, 39)}…` : title)));
  if (campaigns.some(({ slug }) => slug === kept)) choice.value = kept;
}

async function refreshCampaigns() {
  const answer = await attempt(() => get("campaigns"));
  offer("closing", answer?.can_close, answer?.campaigns);
  offer("publishing", answer?.can_publish, answer?.drafts);
}

// A draft made in a chat, or a campaign ending there, changes what the controls offer: each
// change in the chats looks again, once they pause.
const refreshSoon = debounce(refreshCampaigns, 300);

/** The slug a control names: chosen in its list, or typed. */
function chosenSlug(name) {
  const choice = document.getElementById(`${name}-choice`);
  return choice.hidden ? document.getElementById(`${name}-slug`).value.trim() : choice.value;
}

/** What closing a campaign did, in the page's language. */
function closingSaid({ closed, not_closed: notClosed }) {
  if (closed === undefined) return notClosed.refusal ?? t("notLive", { slug: notClosed.slug });
  const status = t(`ended_${closed.status}`);
  return t("closedCampaign", { title: closed.title, status, percent: percent(closed.percent) });
}

document.getElementById("closing").addEventListener("submit", async (event) => {
  event.preventDefault();
  const slug = chosenSlug("closing");
  if (!slug) return;
  const answer = await attempt(() => post("close_campaign", { slug }));
  if (answer !== undefined) {
    toast(closingSaid(answer));
    document.getElementById("closing-slug").value = "";
  }
  await refreshCampaigns();
});

document.getElementById("publishing").addEventListener("submit", async (event) => {
  event.preventDefault();
  const slug = chosenSlug("publishing");
  if (!slug) return;
  const answer = await attempt(() => post("publish_campaign", { slug }));
  if (answer?.published !== undefined) {
    const said = answer.published.coming_soon ? "publishedComingSoon" : "publishedCampaign";
    toast(t(said, { title: answer.published.title }));
    document.getElementById("publishing-slug").value = "";
  } else if (answer !== undefined) {
    // Core's reason, in the page's language; it stays until read (finish /payouts first...).
    alertBox(answer.not_published.refusal);
  }
  await refreshCampaigns();
});
refreshCampaigns();

// The stream sends the whole state on every (re)connection, then each change.
const connection = document.getElementById("connection");
const stream = new EventSource("/sandbox/api/stream");
// Live once the state has come, not when the connection opens: until then the chats are empty,
// and what is typed in them has no bot to go to.
stream.addEventListener("state", (event) => {
  load(JSON.parse(event.data));
  connected("live");
});
stream.addEventListener("change", (event) => {
  const change = JSON.parse(event.data);
  views[change.platform].apply(change);
  refreshSoon();
});
function connected(label) {
  connection.dataset.label = label;
  connection.textContent = t(label);
  connection.classList.toggle("live", label === "live");
}
stream.addEventListener("error", () => connected("reconnecting"));
