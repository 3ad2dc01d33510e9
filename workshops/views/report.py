"""The end-of-session report, as a page with its chart and as CSV."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from ..services.report import build_report, write_csv
from .common import managed_workshop

CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 640, 220, 32
MAX_BAR_WIDTH = 48


def chart_bars(report) -> list[dict]:
    """Bars of the activity chart, laid out here so the template only draws rectangles."""
    if not report.timeline:
        return []
    inner_width = CHART_WIDTH - 2 * CHART_MARGIN
    inner_height = CHART_HEIGHT - 2 * CHART_MARGIN
    step = inner_width / len(report.timeline)
    peak = max(report.peak, 1)
    bars = []
    for index, bucket in enumerate(report.timeline):
        height = inner_height * bucket.count / peak
        width = min(step * 0.8, MAX_BAR_WIDTH)
        bars.append(
            {
                "x": round(CHART_MARGIN + index * step + (step - width) / 2, 1),
                "y": round(CHART_HEIGHT - CHART_MARGIN - height, 1),
                "width": round(width, 1),
                "height": round(height, 1),
                "count": bucket.count,
                "label": bucket.start.strftime("%H:%M"),
                "label_x": round(CHART_MARGIN + index * step + step / 2, 1),
            }
        )
    return bars


@login_required
def report_page(request, pk: int):
    workshop = managed_workshop(request, pk)
    report = build_report(workshop)
    return render(
        request,
        "workshops/report.html",
        {
            "workshop": workshop,
            "report": report,
            "bars": chart_bars(report),
            "chart": {
                "width": CHART_WIDTH,
                "height": CHART_HEIGHT,
                "margin": CHART_MARGIN,
                "baseline": CHART_HEIGHT - CHART_MARGIN,
            },
        },
    )


@login_required
def report_csv(request, pk: int):
    workshop = managed_workshop(request, pk)
    buffer = io.StringIO()
    write_csv(workshop, buffer)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(workshop.title) or "atelier"
    response["Content-Disposition"] = f'attachment; filename="rapport-{name}.csv"'
    return response
