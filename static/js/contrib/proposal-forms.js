/**
 * The "propose a fix" part of a place's panel: comment, correct attributes, move, report
 * closed. Every proposal goes through the outbox, so a dropped network loses nothing.
 */
import { attachValidation } from "./validation.js";
import { el, field, showErrors } from "./form-kit.js";
import { newUuid, sendForm } from "./http.js";
import { format } from "../ui/text.js";

export function renderProposalActions(container, { feature, context, moveTool }) {
  const { strings } = context;
  const section = el("section", { className: "proposals", "aria-labelledby": "proposals-title" });
  section.append(el("h4", { id: "proposals-title" }, strings.propose));
  if (!context.canContribute) {
    const paragraph = el("p", {}, `${strings.loginToContribute} `);
    const link = el("a", { href: context.loginUrl }, strings.login);
    paragraph.append(link);
    section.append(paragraph);
    container.append(section);
    return;
  }
  const buttons = el("div", { className: "proposal-buttons" });
  const area = el("div", { className: "proposal-area" });
  const choices = [
    ["attributes", strings.fixAttributes],
    ["move", strings.move],
    ["closed", strings.closed],
    ["comment", strings.comment],
  ];
  for (const [kind, label] of choices) {
    const button = el("button", { type: "button", className: "secondary", "data-kind": kind }, label);
    button.addEventListener("click", () => {
      for (const other of buttons.children) other.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-pressed", "true");
      openForm(area, kind, { feature, context, moveTool });
    });
    button.setAttribute("aria-pressed", "false");
    buttons.append(button);
  }
  section.append(buttons, area);
  container.append(section);
}

function openForm(area, kind, { feature, context, moveTool }) {
  const { strings } = context;
  if (moveTool) moveTool.stop();
  area.replaceChildren();
  const form = el("form", { className: "proposal-form", novalidate: true });
  const summary = el("div", { className: "form-errors", role: "alert", tabindex: "-1" });
  summary.hidden = true;
  form.append(summary);
  const fields = {};
  let position = null;

  if (kind === "attributes") {
    for (const spec of feature.meta.fields) {
      const current = feature.properties[spec.name];
      const item = field({
        label: spec.label,
        name: spec.name,
        value: current === null || current === undefined ? "" : String(current),
        type: spec.type,
        required: spec.required,
      });
      item.label = spec.label;
      item.initial = item.input.value;
      attachValidation(item.input, { url: context.validateUrl, type: spec.type, message: item.message, strings });
      fields[spec.name] = item;
      form.append(item.wrapper);
    }
  }
  if (kind === "move") {
    const [lon, lat] = feature.meta.point;
    form.append(el("p", { className: "hint" }, strings.moveHelp));
    const latField = field({ label: strings.latitude, name: "lat", value: lat.toFixed(6) });
    const lonField = field({ label: strings.longitude, name: "lon", value: lon.toFixed(6) });
    latField.label = strings.latitude;
    lonField.label = strings.longitude;
    latField.input.inputMode = "decimal";
    lonField.input.inputMode = "decimal";
    fields.geometry = { ...latField, label: strings.newPosition };
    const arrows = el("div", { className: "nudge", role: "group", "aria-label": strings.newPosition });
    position = { lat, lon };
    const controller = moveTool
      ? moveTool.start({ lat, lon }, (next) => {
          position = next;
          latField.input.value = next.lat.toFixed(6);
          lonField.input.value = next.lon.toFixed(6);
        })
      : null;
    for (const [direction, label] of [["north", strings.moveNorth], ["west", strings.moveWest], ["east", strings.moveEast], ["south", strings.moveSouth]]) {
      const button = el("button", { type: "button", className: `secondary nudge-${direction}` }, label);
      button.addEventListener("click", () => controller && controller.nudge(direction));
      arrows.append(button);
    }
    const typed = () => {
      const next = { lat: Number(latField.input.value.replace(",", ".")), lon: Number(lonField.input.value.replace(",", ".")) };
      if (Number.isFinite(next.lat) && Number.isFinite(next.lon)) {
        position = next;
        if (controller) controller.set(next);
      }
    };
    latField.input.addEventListener("change", typed);
    lonField.input.addEventListener("change", typed);
    form.append(latField.wrapper, lonField.wrapper);
    if (controller) form.append(arrows);
  }
  const commentRequired = kind === "comment";
  const comment = field({
    label: kind === "comment" ? strings.commentLabel : kind === "closed" ? strings.reasonLabel : strings.noteLabel,
    name: "comment",
    multiline: true,
    required: commentRequired,
    maxLength: 2000,
  });
  comment.label = strings.commentLabel;
  fields.comment = comment;
  form.append(comment.wrapper);
  let photo = null;
  if (kind !== "comment") {
    const photoField = field({ label: strings.photoLabel, name: "photo" });
    photoField.input.type = "file";
    photoField.input.accept = "image/jpeg,image/png,image/webp";
    photo = photoField.input;
    form.append(photoField.wrapper);
  }
  const status = el("p", { className: "proposal-status", role: "status" });
  const actions = el("div", { className: "form-actions" });
  const submit = el("button", { type: "submit" }, strings.send);
  const cancel = el("button", { type: "button", className: "secondary" }, strings.cancel);
  cancel.addEventListener("click", () => {
    if (moveTool) moveTool.stop();
    area.replaceChildren();
  });
  actions.append(submit, cancel);
  form.append(actions, status);
  area.append(form);
  const first = form.querySelector("input, textarea");
  if (first) first.focus();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    summary.hidden = true;
    const payload = {
      client_uuid: newUuid(),
      dataset: context.dataset,
      feature: feature.id,
      base_version: feature.meta.version,
      kind,
      comment: comment.input.value,
    };
    if (kind === "attributes") {
      payload.changes = {};
      for (const [name, item] of Object.entries(fields)) {
        if (name !== "comment" && item.input.value !== item.initial) payload.changes[name] = item.input.value;
      }
      if (!Object.keys(payload.changes).length) {
        showErrors(form, summary, { changes: [strings.nothingChanged] }, fields);
        return;
      }
    }
    if (kind === "move") payload.geometry = { type: "Point", coordinates: [position.lon, position.lat] };
    submit.disabled = true;
    status.textContent = strings.sending;
    const outcome = await context.outbox.send(payload, {
      onWaiting: () => {
        status.textContent = strings.waiting;
      },
    });
    submit.disabled = false;
    if (outcome.status === "saved") {
      status.textContent = strings.saved;
      if (moveTool) moveTool.stop();
      if (photo && photo.files.length) await uploadPhoto(outcome.contribution.id, photo.files[0], status, context);
      form.replaceChildren(status);
    } else {
      status.textContent = refusalText(outcome, strings);
      showErrors(form, summary, outcome.errors, fields);
    }
  });
}

/** A 403 without reasons is an expired session; with reasons (a closed workshop, a place out
 * of its area) the reasons are shown. */
export function refusalText(outcome, strings) {
  const reasons = Object.values(outcome.errors || {}).flat().filter(Boolean);
  if (outcome.httpStatus === 403 && !reasons.length) return strings.forbidden;
  return strings.rejected;
}

async function uploadPhoto(id, file, status, context) {
  const data = new FormData();
  data.append("photo", file);
  try {
    const response = await sendForm(context.photoUrl(id), data);
    if (response.ok) {
      status.textContent = `${status.textContent} ${context.strings.photoSent}`;
      return;
    }
    const body = await response.json();
    const reason = (body.errors && (body.errors.photo || body.errors.detail) || []).join(" ");
    status.textContent = `${status.textContent} ${format(context.strings.photoFailed, { reason })}`;
  } catch {
    status.textContent = `${status.textContent} ${format(context.strings.photoFailed, { reason: "" })}`;
  }
}
