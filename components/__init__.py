"""Dash components of the dashboard: each module has a layout function and the callbacks
that belong to it (registered by ``register_callbacks``, called from page registration,
never at import)."""
