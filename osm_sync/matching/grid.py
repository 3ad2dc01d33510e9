"""Which OSM objects are near which features, for all features at once.

A grid of cells as wide as the search distance: a feature's candidates are in its cell and the
eight around it. The search is vectorised with numpy (sorted cell keys and binary search), so
that 20,000 features against 100,000 objects costs a fraction of a second instead of millions
of Python-level comparisons; only the pairs within reach are scored one by one.
"""

from __future__ import annotations

import math

import numpy as np

from .distance import METRES_PER_DEGREE

# Cell coordinates are shifted by this much so that keys are non-negative.
_OFFSET = 1 << 24
_SPAN = 1 << 25
CELL_MARGIN = 1.01


def cell_sizes(cell_m: float, max_abs_lat: float) -> tuple[float, float]:
    """(degrees of longitude, degrees of latitude) of cells at least `cell_m` wide everywhere:
    degrees of longitude shrink towards the poles, so they are sized for the highest latitude."""
    shrink = max(math.cos(math.radians(min(max_abs_lat, 89.0))), 0.01)
    # A degree of latitude is up to 0.6 % shorter than the mean one: leave that margin.
    cell_m *= CELL_MARGIN
    return cell_m / (METRES_PER_DEGREE * shrink), cell_m / METRES_PER_DEGREE


def _keys(cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    return (cx + _OFFSET) * _SPAN + (cy + _OFFSET)


def _expand(lo: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows i with ranges [lo_i, lo_i + counts_i): (row of each element, element)."""
    rows = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    within = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return rows, np.repeat(lo, counts) + within


def near_pairs(
    point_lons: np.ndarray,
    point_lats: np.ndarray,
    boxes: np.ndarray,
    cell_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(point index, box index) of every box that meets the 3×3 cells around each point.

    `boxes` is an (n, 4) array of west, south, east, north. Each pair appears once.
    """
    if not len(point_lons) or not len(boxes):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    max_abs_lat = float(max(np.abs(point_lats).max(), np.abs(boxes[:, [1, 3]]).max()))
    cell_lon, cell_lat = cell_sizes(cell_m, max_abs_lat)
    x0 = np.floor(boxes[:, 0] / cell_lon).astype(np.int64)
    y0 = np.floor(boxes[:, 1] / cell_lat).astype(np.int64)
    widths = np.floor(boxes[:, 2] / cell_lon).astype(np.int64) - x0 + 1
    heights = np.floor(boxes[:, 3] / cell_lat).astype(np.int64) - y0 + 1
    # One entry per cell a box covers (a point covers one, a large polygon several).
    box_of, cell_index = _expand(np.zeros(len(boxes), dtype=np.int64), widths * heights)
    keys = _keys(
        x0[box_of] + cell_index % widths[box_of], y0[box_of] + cell_index // widths[box_of]
    )
    order = np.argsort(keys, kind="stable")
    keys, box_of = keys[order], box_of[order]

    px = np.floor(point_lons / cell_lon).astype(np.int64)
    py = np.floor(point_lats / cell_lat).astype(np.int64)
    found_points, found_boxes = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            wanted = _keys(px + dx, py + dy)
            lo = np.searchsorted(keys, wanted, side="left")
            hi = np.searchsorted(keys, wanted, side="right")
            rows, positions = _expand(lo, hi - lo)
            found_points.append(rows)
            found_boxes.append(box_of[positions])
    points = np.concatenate(found_points)
    boxes_found = np.concatenate(found_boxes)
    unique = np.unique(points * len(boxes) + boxes_found)
    return unique // len(boxes), unique % len(boxes)
