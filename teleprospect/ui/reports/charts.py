"""The charts of the Reports tab, and the one place that knows which Qt module draws them.

Qt Charts (``PySide6.QtCharts``) draws them: it is a QWidget-based, QPainter-drawn module,
so a chart renders the same on the offscreen platform the tests use, on a remote desktop
with no GPU, into a PNG (``grab``) and into a PDF (``render`` on a ``QPdfWriter``). Qt
Graphs, its successor since Qt 6.10, is a Qt Quick module: a widget window embeds it
through ``QQuickWidget``, which needs a scene graph backend and offers no vector (PDF)
output. Qt Charts is deprecated, not removed; if it goes, only this module changes: the
page asks :func:`make_chart` for a widget and :func:`save_chart` to write it.

The heat map (connect rate by weekday and hour) is a small painted widget of its own: no
chart module has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

__all__ = ["ChartData", "HeatMap", "make_chart", "save_chart"]

#: Bars beyond this many groups would be unreadable: the biggest are shown.
MAX_GROUPS = 12


class ChartData:
    """What a chart shows, whichever module draws it: categories along the axis and one
    named series of values per category; or, for a heat map, a grid of rates."""

    def __init__(
        self,
        title: str,
        categories: Sequence[str] = (),
        series: Sequence[tuple[str, Sequence[float]]] = (),
        *,
        stacked: bool = False,
        unit: str = "",
        heat: dict[tuple[int, int], tuple[float | None, int]] | None = None,
    ) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = [(name, list(values)) for name, values in series]
        self.stacked = stacked
        self.unit = unit
        #: (weekday 0–6, hour 0–23) → (rate, dials).
        self.heat = heat


def make_chart(data: ChartData, parent: QWidget | None = None) -> QWidget:
    """A widget drawing ``data``."""
    if data.heat is not None:
        return HeatMap(data, parent)
    chart = QChart()
    chart.setTitle(data.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    series: Any = QStackedBarSeries() if data.stacked else QBarSeries()
    top = 0.0
    for name, values in data.series:
        bar_set = QBarSet(name)
        bar_set.append([float(v) for v in values])
        series.append(bar_set)
        top = max(top, *(values or [0]))
    if data.stacked and data.series:
        top = max(sum(s[1][i] for s in data.series) for i in range(len(data.categories)) or [0])
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(data.categories)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    y = QValueAxis()
    # Counts: whole-number ticks, a little headroom above the highest bar.
    y.setRange(0, max(1, int(top) + 1))
    y.setTickCount(min(int(top) + 2, 6) if top < 10 else 6)
    y.applyNiceNumbers()
    y.setLabelFormat("%d")
    y.setTitleText(data.unit)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setObjectName("reportChart")
    view.setMinimumHeight(260)
    return view


def save_chart(widget: QWidget, path: Path) -> None:
    """Write the chart to ``path``: a PDF (vector) when it ends in .pdf, else an image."""
    if path.suffix.lower() == ".pdf":
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(writer.pageLayout().Orientation.Landscape)
        writer.setPageMargins(QMarginsF(10, 10, 10, 10))
        painter = QPainter(writer)
        try:
            page = writer.pageLayout().paintRectPixels(writer.resolution())
            scale = min(page.width() / widget.width(), page.height() / widget.height())
            painter.scale(scale, scale)
            QWidget.render(widget, painter, QPoint())  # the widget, not a view's scene
        finally:
            painter.end()
        return
    if not widget.grab().save(str(path)):
        raise OSError(f"Could not write the chart to {path}.")


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class HeatMap(QWidget):
    """Connect rate by weekday (rows) and the lead's local hour (columns): darker is a
    higher rate; empty cells had no dials. Hovering a cell tells its figures."""

    LABEL_W, HEADER_H, TITLE_H = 44, 22, 26

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.data = data
        self.cells = data.heat or {}
        self.hours = sorted({h for _d, h in self.cells}) or list(range(8, 21))
        self.hours = list(range(min(self.hours), max(self.hours) + 1))
        self.setMinimumSize(QSizeF(520, 260).toSize())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def _cell_rect(self, day: int, hour_index: int) -> QRectF:
        w = (self.width() - self.LABEL_W - 8) / max(len(self.hours), 1)
        h = (self.height() - self.HEADER_H - self.TITLE_H - 8) / 7
        return QRectF(
            self.LABEL_W + hour_index * w, self.TITLE_H + self.HEADER_H + day * h, w - 1, h - 1
        )

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRectF(0, 0, self.width(), self.TITLE_H), Qt.AlignmentFlag.AlignCenter, self.data.title
        )
        for i, hour in enumerate(self.hours):
            rect = self._cell_rect(0, i).translated(0, -self.HEADER_H)
            rect.setHeight(self.HEADER_H)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{hour:02d}")
        for day, name in enumerate(WEEKDAYS):
            row = self._cell_rect(day, 0)
            painter.drawText(
                QRectF(0, row.top(), self.LABEL_W - 4, row.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            for i, hour in enumerate(self.hours):
                rate, dials = self.cells.get((day, hour), (None, 0))
                rect = self._cell_rect(day, i)
                if not dials:
                    painter.fillRect(rect, QColor(0, 0, 0, 12))
                    continue
                strength = int(40 + 215 * (rate or 0.0))
                painter.fillRect(rect, QColor(21, 101, 192, strength))
                painter.setPen(Qt.GlobalColor.white if strength > 150 else Qt.GlobalColor.black)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{(rate or 0):.0%}")
                painter.setPen(self.palette().text().color())
        painter.end()

    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        for day in range(7):
            for i, hour in enumerate(self.hours):
                if self._cell_rect(day, i).contains(event.position()):
                    rate, dials = self.cells.get((day, hour), (None, 0))
                    text = f"{WEEKDAYS[day]} {hour:02d}:00 — {dials} dials"
                    if rate is not None:
                        text += f", {rate:.0%} connected"
                    QToolTip.showText(event.globalPosition().toPoint(), text, self)
                    return
