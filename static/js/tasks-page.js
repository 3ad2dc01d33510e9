/** Guided tasks: one question, an answer checked while typed, then the next question. */
import { addPlaceMarker, createPlaceMap, tileSettings } from "./map/adapter.js";
import { contributionContext } from "./contrib/context.js";
import { showErrors } from "./contrib/form-kit.js";
import { refusalText } from "./contrib/proposal-forms.js";
import { newUuid } from "./contrib/http.js";
import { attachValidation } from "./contrib/validation.js";

const context = contributionContext(document.getElementById("contribution-context"));
const { strings } = context;
const mapElement = document.getElementById("task-map");
const map = createPlaceMap(mapElement, {
  lat: Number(mapElement.dataset.lat),
  lon: Number(mapElement.dataset.lon),
  ...tileSettings(mapElement),
});
addPlaceMarker(map, { lat: Number(mapElement.dataset.lat), lon: Number(mapElement.dataset.lon), label: mapElement.dataset.name });

const form = document.getElementById("task-form");
if (form) {
  const input = document.getElementById("task-answer");
  const message = document.getElementById("task-message");
  const status = document.getElementById("task-status");
  const summary = form.querySelector(".form-errors");
  const fieldName = form.dataset.field;
  attachValidation(input, { url: context.validateUrl, type: form.dataset.type, message, strings });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = { [fieldName]: { input, message, label: fieldName } };
    if (input.value.trim() === form.dataset.initial) {
      showErrors(form, summary, { changes: [strings.nothingChanged] }, fields);
      return;
    }
    summary.hidden = true;
    status.textContent = strings.sending;
    const outcome = await context.outbox.send(
      {
        client_uuid: newUuid(),
        dataset: context.dataset,
        feature: Number(form.dataset.feature),
        base_version: Number(form.dataset.version),
        kind: "attributes",
        changes: { [fieldName]: input.value.trim() },
        // A value taken as OpenStreetMap gives it keeps its origin (ODbL) through the review.
        ...(form.dataset.osmValue && input.value.trim() === form.dataset.osmValue
          ? { value_sources: { [fieldName]: "osm" } }
          : {}),
      },
      { onWaiting: () => { status.textContent = strings.waiting; } },
    );
    if (outcome.status === "saved") {
      status.textContent = strings.saved;
      window.setTimeout(() => window.location.reload(), 800);
    } else {
      status.textContent = refusalText(outcome, strings);
      showErrors(form, summary, outcome.errors, fields);
    }
  });
}
