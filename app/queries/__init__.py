"""Pure functions over the canonical tables: filter, as-of, aggregate. No I/O, no Dash."""
