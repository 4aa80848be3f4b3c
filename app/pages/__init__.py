"""Dash pages, registered by :func:`register_pages` from the app factory (never at import)."""

from __future__ import annotations

import dash

from app.bundle.store import Bundle


def register_pages(app: dash.Dash, bundle: Bundle) -> None:
    from app.pages import embed, overview, reconcile, sources

    overview.register(bundle)
    sources.register(bundle)
    embed.register(bundle)  # /embed/* views + the download bars' callbacks
    reconcile.register(bundle)  # /reconcile: sources side by side, with why they differ
