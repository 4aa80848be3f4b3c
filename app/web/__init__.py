"""Web layer: Dash app factory, pages, assets and the WSGI entry point."""
