// The page's own words (the bots write theirs), in the language chosen with its EN/FR switch.
// In the markup, `data-label` names an element's text, and `data-label-placeholder`,
// `data-label-title` and `data-label-aria` its placeholder, title and aria-label.

const NBSP = "\u00a0";

const WORDS = {
  en: {
    sandbox: "sandbox",
    chatApp: "Chat app",
    closeCampaign: "Close a campaign now",
    slugPlaceholder: "campaign-slug",
    close: "Close",
    publishDraft: "Publish a draft",
    publish: "Publish",
    yourLanguage: "Your language",
    connecting: "connecting…",
    live: "live",
    reconnecting: "reconnecting…",
    chats: "Chats",
    commands: "Commands",
    message: "Message",
    send: "Send",
    attachPhoto: "Send a photo",
    notAPicture: "That file is not a picture this browser can read",
    textChannels: "Text channels",
    directMessages: "Direct messages",
    usedCommand: "used",
    ok: "OK",
    photo: "Photo",
    file: "File",
    bot: "bot",
    members: "{count} members",
    whatCanThisBotDo: "What can this bot do?",
    start: "START",
    copied: "Copied to the clipboard",
    buttonDoesNothing: "This kind of button does nothing in the sandbox",
    messageWhere: "Message {where} — type / for commands",
    welcomeTo: "Welcome to #{channel}!",
    dmStart: "This is the beginning of your direct messages.",
    channelStart: "This is the start of the channel.",
    makeASelection: "Make a selection",
    noResponse: "The application did not respond",
    slashOnly: "The bot reads slash commands only: type / to see them",
    cancel: "Cancel",
    submit: "Submit",
    fieldNotHere: "This kind of field is not in the sandbox",
    spoiler: "Spoiler: click to show",
    onlyYou: "Only you can see this",
    closedCampaign: "Closed {title}: {status} with {percent} of its goal.",
    ended_successful: "funded",
    ended_failed: "not funded",
    ended_cancelled: "cancelled",
    notLive: "{slug} is not live; nothing to close.",
    publishedCampaign: "{title} is live: it can be discovered and backed.",
    publishedComingSoon: "{title} is coming soon: it can be discovered and followed, and launches at its start time.",
    percent: "{number}%",
  },
  fr: {
    sandbox: "bac à sable",
    chatApp: "Application de discussion",
    closeCampaign: "Clôturer une campagne maintenant",
    slugPlaceholder: "slug-de-campagne",
    close: "Clôturer",
    publishDraft: "Publier un brouillon",
    publish: "Publier",
    yourLanguage: "Votre langue",
    connecting: "connexion…",
    live: "en direct",
    reconnecting: "reconnexion…",
    chats: "Discussions",
    commands: "Commandes",
    message: "Message",
    send: "Envoyer",
    attachPhoto: "Envoyer une photo",
    notAPicture: "Ce fichier n’est pas une image que ce navigateur sait lire",
    textChannels: "Salons textuels",
    directMessages: "Messages privés",
    usedCommand: "a utilisé",
    ok: "OK",
    photo: "Photo",
    file: "Fichier",
    bot: "bot",
    members: "{count} membres",
    whatCanThisBotDo: `Que peut faire ce bot${NBSP}?`,
    start: "DÉMARRER",
    copied: "Copié dans le presse-papiers",
    buttonDoesNothing: "Ce type de bouton ne fait rien dans le bac à sable",
    messageWhere: "Envoyer un message dans {where} — tapez / pour les commandes",
    welcomeTo: `Bienvenue dans #{channel}${NBSP}!`,
    dmStart: "C’est le début de vos messages privés.",
    channelStart: "C’est le début du salon.",
    makeASelection: "Faites un choix",
    noResponse: "L’application n’a pas répondu",
    slashOnly: `Le bot ne lit que les commandes slash${NBSP}: tapez / pour les voir`,
    cancel: "Annuler",
    submit: "Envoyer",
    fieldNotHere: "Ce type de champ n’existe pas dans le bac à sable",
    spoiler: `Spoiler${NBSP}: cliquez pour l’afficher`,
    onlyYou: "Vous seul pouvez voir ceci",
    closedCampaign: `«${NBSP}{title}${NBSP}» clôturée${NBSP}: {status}, à {percent} de son objectif.`,
    ended_successful: "financée",
    ended_failed: "non financée",
    ended_cancelled: "annulée",
    notLive: `«${NBSP}{slug}${NBSP}» n’est pas en cours${NBSP}: rien à clôturer.`,
    publishedCampaign: `«${NBSP}{title}${NBSP}» est en cours${NBSP}: on peut la découvrir et la soutenir.`,
    publishedComingSoon: `«${NBSP}{title}${NBSP}» est bientôt en ligne${NBSP}: on peut la découvrir et la suivre, et elle sera lancée à son heure de début.`,
    percent: `{number}${NBSP}%`,
  },
};

let language = "en";

/** Use `code`'s words from now on, and put them on the page's own elements. */
export function setLanguage(code) {
  language = code in WORDS ? code : "en";
  for (const element of document.querySelectorAll("[data-label]")) {
    element.textContent = t(element.dataset.label);
  }
  for (const [attribute, name] of [["labelPlaceholder", "placeholder"], ["labelTitle", "title"], ["labelAria", "aria-label"]]) {
    for (const element of document.querySelectorAll(`[data-${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`)) {
      element.setAttribute(name, t(element.dataset[attribute]));
    }
  }
}

/** A whole percentage the page's way: "62%", "62 %" (held by a no-break space in French). */
export function percent(value) {
  return t("percent", { number: new Intl.NumberFormat(language).format(value) });
}

/** The words for `key` in the page's language, with `{name}`s filled in from `values`. */
export function t(key, values = {}) {
  const words = WORDS[language][key] ?? WORDS.en[key] ?? key;
  return words.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
