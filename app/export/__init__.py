"""Exports of the canonical figures (CSV, XLSX) and of the map (GeoJSON).

Data flows one way: query parameters -> :mod:`app.export.params` (pure parsing, errors
name the parameter) -> :mod:`app.export.rows` (the same queries the views use) -> one
writer per format. The HTTP side is :mod:`app.web.export_routes`.
"""
