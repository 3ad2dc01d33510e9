/** Choosing a workshop's area: move the map, then take the visible box (or type it). */
import { createMap, tileSettings, visibleBbox } from "./map/adapter.js";

const element = document.getElementById("area-map");
const input = document.getElementById("id_area_bbox_text");
const current = input.value ? input.value.split(",").map(Number) : null;
const map = createMap(element, {
  ...tileSettings(element),
  bounds: current && current.length === 4 && current.every(Number.isFinite) ? current : [4.2, 42.9, 7.8, 45.2],
});
document.getElementById("use-view").addEventListener("click", () => {
  input.value = visibleBbox(map).map((v) => v.toFixed(5)).join(",");
  input.focus();
});
