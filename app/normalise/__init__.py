"""Small pure normalisers for what people type into spreadsheets: numbers, dates, text, places.

Sources of figures for north-west Syria write the same thing many ways ("948,000", "948 000",
"٩٤٨٬٠٠٠"; "26/02/2020", "26 Feb 2020"; "Idleb", "Idlib", "إدلب"). Each module here turns one
kind of cell into one canonical value, or raises a ``ValueError`` subclass whose message says
what was found and what was expected, so a loader can report the row instead of guessing.
Nothing here reads files, the environment or the network: callers pass the text (or bytes,
or the gazetteer table) in.

- :mod:`app.normalise.numbers`: counts as written -> ``float``.
- :mod:`app.normalise.dates`: dates as written -> day-precision ``pandas.Timestamp``.
- :mod:`app.normalise.text`: file bytes -> text, delimiter sniffing, names -> matching keys.
- :mod:`app.normalise.places`: place names or P-codes -> gazetteer P-codes.
"""
