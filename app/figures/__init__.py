"""Pure figure builders: query results (DataFrames) + options -> ``go.Figure``. No Dash, no I/O."""
