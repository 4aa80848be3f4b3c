"""Dash pages, registered by :func:`register_pages` from the app factory (never at import)."""

from __future__ import annotations

import dash

from components.context import OverviewContext


def register_pages(app: dash.Dash, ctx: OverviewContext) -> None:
    """Every page reads its tables through ``ctx`` (one shared context, live on the store)."""
    from app.pages import embed, not_found, overview, reconcile, sources

    overview.register(ctx)
    sources.register(ctx)
    embed.register(ctx)  # /embed/* views + the download bars' callbacks
    reconcile.register(ctx)  # /reconcile: sources side by side, with why they differ
    not_found.register()  # what an unknown address shows (app.web.not_found: status 404)
