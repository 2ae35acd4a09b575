"""Reading the revenue chart the way plotly holds it in the page."""

from __future__ import annotations

CHART = "#revenue-chart"


def plotted_total(page) -> float:
    """Sum of the y values of the chart's bar traces (the revenue)."""
    return page.evaluate(
        """(selector) => {
            const plot = document.querySelector(selector + ' .js-plotly-plot')
                || document.querySelector(selector);
            return (plot.data || []).filter(trace => trace.type === 'bar')
                .flatMap(trace => Array.from(trace.y || []))
                .reduce((sum, y) => sum + Number(y || 0), 0);
        }""",
        CHART,
    )


def drawn_bar_count(page) -> int:
    """How many bars plotly actually drew with a visible height."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector + ' .barlayer .point path'))
            .filter(bar => bar.getBBox().height > 0).length""",
        CHART,
    )
