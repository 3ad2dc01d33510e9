/** Propose a missing place: a position (map, keyboard or typed) and its attributes. */
import { createMoveTool, createPlaceMap, tileSettings } from "./map/adapter.js";
import { contributionContext } from "./contrib/context.js";
import { showErrors } from "./contrib/form-kit.js";
import { refusalText } from "./contrib/proposal-forms.js";
import { newUuid } from "./contrib/http.js";
import { attachValidation } from "./contrib/validation.js";

const context = contributionContext(document.getElementById("contribution-context"));
const { strings } = context;
const form = document.getElementById("add-form");
const latInput = document.getElementById("add-lat");
const lonInput = document.getElementById("add-lon");
const status = document.getElementById("add-status");
const summary = form.querySelector(".form-errors");
const mapElement = document.getElementById("add-map");
let position = { lat: Number(latInput.value), lon: Number(lonInput.value) };

const map = createPlaceMap(mapElement, {
  ...position,
  ...tileSettings(mapElement),
  zoom: 15,
});
const picker = createMoveTool(map, { label: strings.newPosition }).start(position, (next) => {
  position = next;
  latInput.value = next.lat.toFixed(6);
  lonInput.value = next.lon.toFixed(6);
});
for (const button of form.querySelectorAll("[data-nudge]")) {
  button.addEventListener("click", () => picker.nudge(button.dataset.nudge));
}
const typed = () => {
  const next = { lat: Number(latInput.value.replace(",", ".")), lon: Number(lonInput.value.replace(",", ".")) };
  if (Number.isFinite(next.lat) && Number.isFinite(next.lon)) {
    position = next;
    picker.set(next);
  }
};
latInput.addEventListener("change", typed);
lonInput.addEventListener("change", typed);

const fields = { geometry: { input: latInput, message: document.getElementById("add-lat-message"), label: strings.newPosition } };
for (const input of form.querySelectorAll("input[data-type]")) {
  const message = document.getElementById(`${input.id}-message`);
  const label = form.querySelector(`label[for="${input.id}"]`).firstChild.textContent.trim();
  fields[input.name] = { input, message, label };
  attachValidation(input, { url: context.validateUrl, type: input.dataset.type, message, strings });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  summary.hidden = true;
  const changes = {};
  for (const [name, item] of Object.entries(fields)) {
    if (name !== "geometry" && item.input.value.trim()) changes[name] = item.input.value.trim();
  }
  status.textContent = strings.sending;
  const outcome = await context.outbox.send(
    {
      client_uuid: newUuid(),
      dataset: context.dataset,
      kind: "add",
      changes,
      comment: document.getElementById("add-comment").value,
      geometry: { type: "Point", coordinates: [position.lon, position.lat] },
    },
    { onWaiting: () => { status.textContent = strings.waiting; } },
  );
  if (outcome.status === "saved") {
    status.textContent = strings.saved;
    form.reset();
  } else {
    status.textContent = refusalText(outcome, strings);
    showErrors(form, summary, outcome.errors, fields);
  }
});
