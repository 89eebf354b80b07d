"""Outputs for people: timeline charts (PNG, self-contained HTML)."""

from kingmaker.report.charts import write_timeline

__all__ = ["write_timeline"]
