/** Review page: the map of old and new positions, and keyboard shortcuts for decisions. */
import { showPositions, tileSettings } from "./map/adapter.js";

const mapElement = document.getElementById("review-map");
if (mapElement) {
  const positions = JSON.parse(document.getElementById("review-positions").textContent);
  showPositions(mapElement, {
    old: positions.old && positions.old.type === "Point" ? positions.old : null,
    proposed: positions.new,
    tiles: tileSettings(mapElement),
    labels: { old: mapElement.dataset.labelOld, proposed: mapElement.dataset.labelNew },
  });
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  const control = document.querySelector(`[data-shortcut="${event.key.toLowerCase()}"]`);
  if (!control) return;
  event.preventDefault();
  control.click();
});
