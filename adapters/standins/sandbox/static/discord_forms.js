// A form (modal) the bot opened: its text fields and pickers in a dialog, submitted as Discord's
// client submits them.

import { h } from "./dom.js";
import { t } from "./labels.js";

const ROW = 1;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const TEXT_DISPLAY = 10;
const LABEL = 18;
const PARAGRAPH = 2;

/** Show the form; `submit(values)` sends it and resolves to the outcome, or undefined. */
export function openForm(interactionId, modal, submit) {
  const dialog = document.getElementById("dc-modal");
  const fields = [];
  const items = modal.components.map((item) => {
    if (item.type === TEXT_DISPLAY) return h("p", { className: "dc-form-text" }, item.content);
    const [label, description, input] =
      item.type === LABEL
        ? [item.label, item.description, item.component]
        : [item.components?.[0]?.label ?? "", null, item.components?.[0]];
    if (input === undefined || item.type !== LABEL && item.type !== ROW) return null;
    const control = field(input);
    fields.push([input.custom_id, control]);
    return h("label", { className: "dc-form-field" },
      h("span", { className: "dc-form-label" }, label, input.required === false ? "" : h("span", { className: "dc-required" }, " *")),
      description ? h("span", { className: "dc-form-description" }, description) : null,
      control);
  });
  const form = h("form", { className: "dc-form", method: "dialog" },
    h("h2", {}, modal.title),
    items,
    h("div", { className: "dc-form-actions" },
      h("button", { type: "button", className: "dc-button link-like", onclick: () => dialog.close() }, t("cancel")),
      h("button", { type: "submit", className: "dc-button primary" }, t("submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(fields.map(([customId, control]) => [customId, control.value]));
    const outcome = await submit(values);
    if (outcome !== undefined) dialog.close();
  });
  dialog.replaceChildren(form);
  dialog.dataset.interaction = interactionId;
  dialog.showModal();
}

function field(input) {
  const common = {
    name: input.custom_id,
    required: input.required !== false,
    placeholder: input.placeholder ?? null,
  };
  if (input.type === TEXT_INPUT) {
    const limits = { minlength: input.min_length ?? null, maxlength: input.max_length ?? null };
    const control = input.style === PARAGRAPH
      ? h("textarea", { ...common, ...limits, rows: 4 })
      : h("input", { ...common, ...limits });
    control.value = input.value ?? "";
    return control;
  }
  if (input.type === STRING_SELECT) {
    return h("select", common,
      h("option", { value: "", disabled: true, selected: true }, input.placeholder ?? t("makeASelection")),
      input.options.map((option) => h("option", { value: option.value }, option.label)));
  }
  return h("input", { ...common, disabled: true, value: t("fieldNotHere") });
}
