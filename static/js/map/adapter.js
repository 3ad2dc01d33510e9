/**
 * The only module that speaks Leaflet. The rest of the code speaks of maps, features and
 * selections, so that the map library can change without touching the pages.
 * Leaflet and Leaflet.markercluster are served by the product itself (no CDN).
 */
const L = window.L;

const ICON_SIZE = 28;

function markerIcon(hasIssues, selected, osmStatus = null) {
  const classes = ["feature-marker", hasIssues ? "has-issues" : "no-issues"];
  if (selected) classes.push("selected");
  if (osmStatus) classes.push(`osm-${osmStatus}`);
  return L.divIcon({
    className: classes.join(" "),
    html: "<span></span>",
    iconSize: [ICON_SIZE, ICON_SIZE],
    iconAnchor: [ICON_SIZE / 2, ICON_SIZE / 2],
  });
}

/** Clusters are neutral (their colour must not be read as "quality"), with a ring when some
 * of the places inside need fixing. */
function clusterIcon(cluster) {
  const children = cluster.getAllChildMarkers();
  const withIssues = children.filter((marker) => marker.hasIssues).length;
  const size = children.length < 10 ? 36 : children.length < 100 ? 44 : 52;
  const classes = ["feature-cluster"];
  if (withIssues) classes.push("has-issues");
  return L.divIcon({
    className: classes.join(" "),
    html: `<span>${children.length}</span>`,
    iconSize: [size, size],
  });
}

function isActivationKey(event) {
  if (event.key !== "Enter" && event.key !== " ") return false;
  event.preventDefault();
  return true;
}

/** The tile settings a page put on its map element (templates/_map_tiles_attributes.html). */
export function tileSettings(element) {
  return {
    tilesUrl: element.dataset.tilesUrl,
    attribution: element.dataset.tilesAttribution,
    maxZoom: Number(element.dataset.tilesMaxZoom) || 19,
  };
}

/** An empty tile URL is the no-tile mode: features on a plain background. */
function addTiles(map, { tilesUrl, attribution, maxZoom }) {
  if (tilesUrl) L.tileLayer(tilesUrl, { attribution, maxZoom: maxZoom || 19 }).addTo(map);
}

export function createMap(element, { tilesUrl, attribution, maxZoom, bounds }) {
  const map = L.map(element, { zoomControl: true, keyboard: true, maxZoom: maxZoom || 19 });
  addTiles(map, { tilesUrl, attribution, maxZoom });
  if (bounds) {
    const [west, south, east, north] = bounds;
    map.fitBounds([[south, west], [north, east]], { padding: [20, 20], maxZoom: 15 });
  } else {
    map.setView([43.9, 6.0], 8);
  }
  return map;
}

export function visibleBbox(map) {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
}

export function onViewChange(map, callback) {
  map.on("moveend", () => callback(visibleBbox(map)));
}

/**
 * A clustered layer of point features. `onSelect(id)` is called when a marker is chosen with
 * the mouse, touch or the keyboard (Enter on a focused marker).
 */
export function createFeatureLayer(map, { onSelect, label }) {
  const cluster = L.markerClusterGroup({
    chunkedLoading: true,
    iconCreateFunction: clusterIcon,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    disableClusteringAtZoom: 17,
  });
  map.addLayer(cluster);
  // Leaflet makes markers and clusters focusable but only the mouse "clicks" them: Enter and
  // Space do the same from the keyboard.
  cluster.on("clusterkeydown", (event) => {
    if (isActivationKey(event.originalEvent)) event.layer.zoomToBounds({ padding: [30, 30] });
  });
  const markers = new Map();
  let selectedId = null;
  let outline = null;
  let statuses = null;
  const statusOf = (id) => (statuses && statuses[id] ? statuses[id].status : null);

  function setFeatures(collection) {
    const next = new Map();
    for (const feature of collection.features) {
      const id = feature.id;
      const existing = markers.get(id);
      if (existing) {
        next.set(id, existing);
        markers.delete(id);
        continue;
      }
      const [lon, lat] = feature.geometry.coordinates;
      const hasIssues = feature.properties.issues > 0;
      const marker = L.marker([lat, lon], {
        icon: markerIcon(hasIssues, id === selectedId, statusOf(id)),
        title: label(feature.properties),
        alt: label(feature.properties),
        keyboard: true,
        riseOnHover: true,
      });
      marker.featureId = id;
      marker.hasIssues = hasIssues;
      marker.on("click", () => onSelect(id));
      marker.on("keydown", (event) => {
        if (isActivationKey(event.originalEvent)) onSelect(id);
      });
      next.set(id, marker);
    }
    cluster.removeLayers([...markers.values()]);
    cluster.addLayers([...next.values()].filter((m) => !cluster.hasLayer(m)));
    markers.clear();
    for (const [id, marker] of next) markers.set(id, marker);
  }

  function select(id, geometry) {
    const previous = markers.get(selectedId);
    if (previous) previous.setIcon(markerIcon(previous.hasIssues, false, statusOf(selectedId)));
    selectedId = id;
    const marker = markers.get(id);
    if (marker) {
      marker.setIcon(markerIcon(marker.hasIssues, true, statusOf(id)));
      if (!cluster.getVisibleParent(marker) || cluster.getVisibleParent(marker) !== marker) {
        cluster.zoomToShowLayer(marker, () => {});
      }
    }
    if (outline) {
      map.removeLayer(outline);
      outline = null;
    }
    if (geometry && geometry.type !== "Point") {
      outline = L.geoJSON(geometry, { style: { color: "#8a2be2", weight: 3 } }).addTo(map);
    }
  }

  function count() {
    return markers.size;
  }

  /** Colour markers by their OpenStreetMap reconciliation status (null: by quality). */
  function setStatuses(next) {
    statuses = next;
    for (const [id, marker] of markers) {
      marker.setIcon(markerIcon(marker.hasIssues, id === selectedId, statusOf(id)));
    }
    cluster.refreshClusters();
  }

  return { setFeatures, select, count, setStatuses };
}

const NUDGE_PIXELS = 10;
const ARROWS = { ArrowUp: "north", ArrowDown: "south", ArrowLeft: "west", ArrowRight: "east" };
const OFFSETS = { north: [0, -1], south: [0, 1], west: [-1, 0], east: [1, 0] };

function movingIcon() {
  return L.divIcon({ className: "moving-marker", html: "<span></span>", iconSize: [34, 34], iconAnchor: [17, 17] });
}

/**
 * A position picker on the map: a marker that can be dragged, moved with the arrow keys when
 * focused (Shift for small steps), or set from typed coordinates. Only one at a time.
 */
export function createMoveTool(map, { label }) {
  let marker = null;

  function stop() {
    if (marker) {
      map.removeLayer(marker);
      marker = null;
    }
  }

  function start({ lat, lon }, onChange) {
    stop();
    marker = L.marker([lat, lon], { draggable: true, keyboard: true, icon: movingIcon(), title: label, alt: label, zIndexOffset: 1000 });
    marker.addTo(map);
    const current = marker;
    const changed = () => {
      const point = current.getLatLng();
      onChange({ lat: point.lat, lon: point.lng });
    };
    current.on("dragend", changed);
    const nudge = (direction, pixels = NUDGE_PIXELS) => {
      const [dx, dy] = OFFSETS[direction];
      const point = map.project(current.getLatLng(), map.getZoom()).add([dx * pixels, dy * pixels]);
      current.setLatLng(map.unproject(point, map.getZoom()));
      if (!map.getBounds().contains(current.getLatLng())) map.panTo(current.getLatLng());
      changed();
    };
    current.on("keydown", (event) => {
      const direction = ARROWS[event.originalEvent.key];
      if (!direction) return;
      event.originalEvent.preventDefault();
      event.originalEvent.stopPropagation();
      nudge(direction, event.originalEvent.shiftKey ? 1 : NUDGE_PIXELS);
    });
    map.setView([lat, lon], Math.max(map.getZoom(), 16));
    return {
      nudge,
      set({ lat: newLat, lon: newLon }) {
        current.setLatLng([newLat, newLon]);
        map.panTo([newLat, newLon]);
      },
      element: () => current.getElement(),
    };
  }

  return { start, stop };
}

/** A small map centred on one place, for the task cards and the add-a-place page. */
export function createPlaceMap(element, { lat, lon, tilesUrl, attribution, maxZoom, zoom = 16 }) {
  const map = L.map(element, { keyboard: true, maxZoom: maxZoom || 19 });
  addTiles(map, { tilesUrl, attribution, maxZoom });
  map.setView([lat, lon], zoom);
  return map;
}

export function addPlaceMarker(map, { lat, lon, label }) {
  return L.marker([lat, lon], { icon: markerIcon(true, true), title: label, alt: label, keyboard: false }).addTo(map);
}

export function mapCenter(map) {
  const center = map.getCenter();
  return { lat: center.lat, lon: center.lng };
}

/** Points of activity (the board's map): replaced as a whole at each refresh. */
export function createActivityLayer(map) {
  const group = L.featureGroup().addTo(map);
  let framed = false;
  return {
    set(points) {
      group.clearLayers();
      for (const point of points) {
        if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon)) continue;
        L.circleMarker([point.lat, point.lon], { radius: 8, color: "#00507a", weight: 2, fillOpacity: 0.6 })
          .bindTooltip(point.label)
          .addTo(group);
      }
      // Frame the activity once, when the first proposals arrive; then leave the view alone.
      if (!framed && group.getLayers().length) {
        map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 15 });
        framed = true;
      }
    },
  };
}

/** The review's small map: the current position and the proposed one, side by side. */
export function showPositions(element, { old, proposed, tiles, labels }) {
  const points = [old, proposed].filter(Boolean).map((g) => [g.coordinates[1], g.coordinates[0]]);
  if (!points.length) return null;
  const map = createPlaceMap(element, { lat: points[0][0], lon: points[0][1], ...tiles });
  if (old) L.marker([old.coordinates[1], old.coordinates[0]], { icon: markerIcon(false, false), title: labels.old, alt: labels.old, keyboard: false }).addTo(map);
  if (proposed) L.marker([proposed.coordinates[1], proposed.coordinates[0]], { icon: movingIcon(), title: labels.proposed, alt: labels.proposed, keyboard: false }).addTo(map);
  if (points.length === 2) map.fitBounds(points, { padding: [40, 40], maxZoom: 18 });
  return map;
}

/** OpenStreetMap objects that no feature of the dataset matched. */
export function createOsmOnlyLayer(map) {
  const group = L.layerGroup();
  return {
    show(points) {
      group.clearLayers();
      for (const point of points) {
        L.circleMarker([point.lat, point.lon], { radius: 7, color: "#5b2a86", weight: 3, fillOpacity: 0.2 })
          .bindTooltip(point.name || point.osm)
          .addTo(group);
      }
      group.addTo(map);
    },
    hide() {
      map.removeLayer(group);
    },
  };
}
