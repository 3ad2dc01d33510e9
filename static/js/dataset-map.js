/**
 * The dataset map page: loads the features of the visible area, clusters them, shows the
 * chosen one's attributes and problems in the side panel, and lets a contributor propose fixes.
 */
import {
  createFeatureLayer, createMap, createMoveTool, createOsmOnlyLayer, mapCenter, onViewChange,
  tileSettings, visibleBbox,
} from "./map/adapter.js";
import { renderFeaturePanel } from "./ui/feature-panel.js";
import { format } from "./ui/text.js";
import { contributionContext } from "./contrib/context.js";
import { renderProposalActions } from "./contrib/proposal-forms.js";
import { renderOsmSection } from "./ui/osm-panel.js";

const element = document.getElementById("map");
const strings = JSON.parse(document.getElementById("map-strings").textContent);
const context = contributionContext(document.getElementById("contribution-context"));
const status = document.getElementById("map-status");
const panel = document.getElementById("feature-panel");
const panelBody = document.getElementById("feature-panel-body");
const addLink = document.getElementById("add-place-link");
const featuresUrl = element.dataset.featuresUrl;
const featureUrl = (id) => element.dataset.featureUrl.replace(/0\/$/, `${id}/`);

const bbox = element.dataset.bbox ? element.dataset.bbox.split(",").map(Number) : null;
const map = createMap(element, {
  ...tileSettings(element),
  bounds: bbox && bbox.every(Number.isFinite) ? bbox : null,
});

const layer = createFeatureLayer(map, {
  onSelect: (id) => selectFeature(id, { focusPanel: true }),
  label: (properties) => properties.name || strings.unnamed,
});
const moveTool = createMoveTool(map, { label: context.strings.newPosition });

let pending = null;

async function loadVisible(area) {
  if (addLink) {
    const { lat, lon } = mapCenter(map);
    addLink.href = `${addLink.dataset.base}?lat=${lat.toFixed(6)}&lon=${lon.toFixed(6)}`;
  }
  if (pending) pending.abort();
  pending = new AbortController();
  status.textContent = strings.loading;
  element.setAttribute("aria-busy", "true");
  try {
    const url = `${featuresUrl}?bbox=${area.map((v) => v.toFixed(6)).join(",")}`;
    const response = await fetch(url, { signal: pending.signal, headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const collection = await response.json();
    layer.setFeatures(collection);
    const count = collection.features.length;
    status.textContent = format(collection.truncated ? strings.truncated : strings.loaded, { count });
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = strings.error;
  } finally {
    element.removeAttribute("aria-busy");
  }
}

async function selectFeature(id, { focusPanel }) {
  let response;
  try {
    response = await fetch(featureUrl(id), { headers: { Accept: "application/json" } });
  } catch {
    status.textContent = strings.error;
    return;
  }
  if (!response.ok) {
    status.textContent = strings.error;
    return;
  }
  const feature = await response.json();
  moveTool.stop();
  layer.select(id, feature.geometry);
  const actions = renderFeaturePanel(panelBody, feature, strings);
  renderProposalActions(actions, { feature, context, moveTool });
  renderOsmSection(actions, osmUrl.replace(/osm\/$/, `features/${id}/osm/`), strings);
  panel.classList.add("has-selection");
  if (focusPanel) panel.focus();
  history.replaceState(null, "", `#${id}`);
}

// The reconciliation with OpenStreetMap, when one was run: a toggle colours the markers by
// status and shows the OSM objects missing from the dataset.
const osmUrl = element.dataset.osmUrl;
const osmToggle = document.getElementById("osm-toggle");
const osmOnly = createOsmOnlyLayer(map);
let reconciliation = null;

async function loadReconciliation() {
  try {
    const response = await fetch(osmUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    if (!data.reconciliation) return;
    reconciliation = data;
    const counts = data.reconciliation.counts;
    document.getElementById("osm-summary").textContent = format(strings.osmSummary, {
      matched: counts.matched || 0, ambiguous: counts.ambiguous || 0,
      missing_in_osm: counts.missing_in_osm || 0, missing_in_dataset: counts.missing_in_dataset || 0,
    });
    osmToggle.closest(".osm-controls").hidden = false;
  } catch {
    // Without the reconciliation the map works as before.
  }
}

osmToggle.addEventListener("change", () => {
  const on = osmToggle.checked && reconciliation;
  layer.setStatuses(on ? reconciliation.statuses : null);
  if (on) osmOnly.show(reconciliation.osm_only);
  else osmOnly.hide();
  document.getElementById("legend-quality").hidden = Boolean(on);
  document.getElementById("legend-osm").hidden = !on;
});

loadReconciliation();
onViewChange(map, loadVisible);
loadVisible(visibleBbox(map));
const initial = Number(window.location.hash.slice(1));
if (initial) selectFeature(initial, { focusPanel: false });
window.addEventListener("hashchange", () => {
  const id = Number(window.location.hash.slice(1));
  if (id) selectFeature(id, { focusPanel: true });
});
