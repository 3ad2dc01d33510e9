/**
 * The dataset map page: loads the features of the visible area, clusters them, and shows the
 * chosen one's attributes and quality problems in the side panel.
 */
import { createMap, createFeatureLayer, onViewChange, visibleBbox } from "./map/adapter.js";
import { renderFeaturePanel } from "./ui/feature-panel.js";
import { format } from "./ui/text.js";

const element = document.getElementById("map");
const strings = JSON.parse(document.getElementById("map-strings").textContent);
const status = document.getElementById("map-status");
const panel = document.getElementById("feature-panel");
const panelBody = document.getElementById("feature-panel-body");
const featuresUrl = element.dataset.featuresUrl;
const featureUrl = (id) => element.dataset.featureUrl.replace(/0\/$/, `${id}/`);

const bbox = element.dataset.bbox ? element.dataset.bbox.split(",").map(Number) : null;
const map = createMap(element, {
  tilesUrl: element.dataset.tilesUrl,
  attribution: element.dataset.tilesAttribution,
  maxZoom: Number(element.dataset.tilesMaxZoom),
  bounds: bbox && bbox.every(Number.isFinite) ? bbox : null,
});

const layer = createFeatureLayer(map, {
  onSelect: (id) => selectFeature(id, { focusPanel: true }),
  label: (properties) => properties.name || strings.unnamed,
});

let pending = null;

async function loadVisible(area) {
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
  const response = await fetch(featureUrl(id), { headers: { Accept: "application/json" } });
  if (!response.ok) {
    status.textContent = strings.error;
    return;
  }
  const feature = await response.json();
  layer.select(id, feature.geometry);
  renderFeaturePanel(panelBody, feature, strings);
  panel.classList.add("has-selection");
  if (focusPanel) panel.focus();
  history.replaceState(null, "", `#${id}`);
}

onViewChange(map, loadVisible);
loadVisible(visibleBbox(map));
const initial = Number(window.location.hash.slice(1));
if (initial) selectFeature(initial, { focusPanel: false });
