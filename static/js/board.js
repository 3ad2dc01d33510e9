/**
 * The facilitator's live board: polls the workshop's state every few seconds, shows what
 * arrives, and lets the facilitator triage a proposal or withdraw a participant's proposals
 * (and undo that). Text from participants is only ever set as textContent.
 */
import { createActivityLayer, createMap } from "./map/adapter.js";
import { csrfToken } from "./contrib/http.js";
import { el } from "./contrib/form-kit.js";
import { format } from "./ui/text.js";

const config = JSON.parse(document.getElementById("board-config").textContent);
const { strings } = config;
const status = document.getElementById("board-status");
const feed = document.getElementById("feed");
const feedCount = document.getElementById("feed-count");
const people = document.getElementById("people");
const kinds = document.getElementById("kinds");
const reverts = document.getElementById("reverts");

const mapElement = document.getElementById("activity-map");
if (!config.tiles.url) mapElement.classList.add("map-no-tiles");
const map = createMap(mapElement, {
  tilesUrl: config.tiles.url,
  attribution: config.tiles.attribution,
  maxZoom: config.tiles.maxZoom,
  bounds: config.bbox,
});
const activity = createActivityLayer(map);
let lastSignature = "";

async function post(url, data = {}) {
  const body = new URLSearchParams(data);
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** The URL templates carry 0 where the id goes: replace its last "/0/". */
const urlFor = (template, id) => template.replace(/\/0\/(?!.*\/0\/)/, `/${id}/`);

function renderFeed(state) {
  feedCount.textContent = String(state.total);
  feed.replaceChildren();
  if (!state.entries.length) feed.append(el("li", {}, strings.empty));
  for (const entry of state.entries) {
    const item = el("li", { className: `feed-item triage-${entry.triage}`, "data-entry": entry.id });
    const time = new Date(entry.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    item.append(el("p", { className: "feed-head" }, `${time} · ${entry.participant_name} · ${entry.kind_label}`));
    item.append(el("p", { className: "feed-place" }, entry.place || "—"));
    const details = Object.entries(entry.changes || {}).map(([k, v]) => `${k} → ${v}`).join(" ; ");
    if (details) item.append(el("p", { className: "feed-details" }, details));
    if (entry.comment) item.append(el("p", { className: "feed-details" }, entry.comment));
    item.append(el("p", { className: "feed-state" }, `${entry.status_label} · ${entry.triage_label}`));
    const group = el("div", { className: "triage", role: "group", "aria-label": `${strings.triage} : ${entry.place}` });
    for (const choice of config.triageChoices) {
      const button = el("button", {
        type: "button", className: "secondary small", "aria-pressed": String(entry.triage === choice.value),
        "data-focus-key": `triage-${entry.id}-${choice.value}`,
      }, choice.label);
      button.addEventListener("click", async () => {
        await post(urlFor(config.triageUrl, entry.id), { triage: choice.value });
        refresh();
      });
      group.append(button);
    }
    item.append(group);
    feed.append(item);
  }
}

function renderPeople(state) {
  people.replaceChildren();
  for (const person of state.participants) {
    const row = el("tr");
    row.append(el("th", { scope: "row" }, person.name), el("td", {}, String(person.count)), el("td", {}, String(person.pending)));
    const cell = el("td");
    if (person.pending) {
      const button = el("button", { type: "button", className: "secondary small", "data-focus-key": `revert-${person.id}` }, strings.revert);
      button.setAttribute("aria-label", `${strings.revert} : ${person.name}`);
      button.addEventListener("click", async () => {
        if (!window.confirm(format(strings.confirmRevert, { name: person.name }))) return;
        await post(urlFor(config.revertUrl, person.id));
        refresh();
      });
      cell.append(button);
    }
    row.append(cell);
    people.append(row);
  }
}

function renderKinds(state) {
  kinds.replaceChildren(...state.kinds.map((kind) => el("li", {}, `${kind.label} : ${kind.count}`)));
}

function renderReverts(state) {
  reverts.replaceChildren();
  for (const revert of state.reverts) {
    const item = el("li", {}, `${format(strings.reverted, { count: revert.count, name: revert.participant_name })} `);
    if (revert.undone) {
      item.append(el("em", {}, strings.undone));
    } else {
      const button = el("button", { type: "button", className: "secondary small", "data-focus-key": `undo-${revert.id}` }, strings.undo);
      button.addEventListener("click", async () => {
        await post(urlFor(config.undoUrl, revert.id));
        refresh();
      });
      item.append(button);
    }
    reverts.append(item);
  }
}

async function refresh() {
  let state;
  try {
    const response = await fetch(config.stateUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state = await response.json();
  } catch {
    status.textContent = strings.offline;
    return;
  }
  const { server_time: serverTime, ...content } = state;
  const signature = JSON.stringify(content);
  status.textContent = `${state.status_label} · ${format(strings.updated, { time: new Date(serverTime).toLocaleTimeString() })}`;
  if (signature === lastSignature) return;
  lastSignature = signature;
  const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
  renderFeed(state);
  renderPeople(state);
  renderKinds(state);
  renderReverts(state);
  activity.set(state.entries.map((e) => ({ lat: e.lat, lon: e.lon, label: `${e.participant_name} · ${e.place}` })));
  if (focusKey) {
    const again = document.querySelector(`[data-focus-key="${focusKey}"]`);
    if (again) again.focus();
  }
}

refresh();
setInterval(refresh, config.pollSeconds * 1000);
