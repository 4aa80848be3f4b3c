"""Licences and attribution from the bundle's ``data/datapackage.json``, for every export.

The licences (CC BY 3.0 IGO for the COD-AB boundaries, CC BY 4.0 for the gazetteer) require
attribution wherever the data goes; an export is where it goes, so the XLSX README sheet and
the GeoJSON ``metadata`` carry these lines, taken from the data package, never retyped.
"""

from __future__ import annotations


def licences(datapackage: dict) -> list[str]:
    """ "Creative Commons Attribution 3.0 IGO (https://...)" for each licence of the package."""
    out = []
    for lic in datapackage.get("licenses", []):
        text = str(lic.get("title") or lic.get("name", ""))
        if lic.get("path"):
            text += f" ({lic['path']})"
        out.append(text)
    return out


def attribution(datapackage: dict) -> list[str]:
    """The resources' attribution lines, each once, in package order."""
    resources = datapackage.get("resources", [])
    return list(dict.fromkeys(str(r["attribution"]) for r in resources if r.get("attribution")))
