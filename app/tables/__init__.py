"""Canonical tables: the contracts every loader produces and every query trusts."""
