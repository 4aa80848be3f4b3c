"""Editors: accounts, API tokens, sign-in throttling and the audit record (STYLE "auth done by
libraries").

Readers stay anonymous and read-only; editors sign in to ``/data`` or send a bearer token to
``/api/imports``, and can do what ``add``, ``imports``, ``retract`` and ``restore`` do,
nothing more. Everything is kept in the store (migration 0003):

- :mod:`app.auth.passwords`: argon2id hashes (argon2-cffi), never a home-made KDF;
- :mod:`app.auth.tokens`: random API tokens, stored only as their sha256;
- :mod:`app.auth.accounts`: add / remove / list editors, issue and revoke tokens;
- :mod:`app.auth.audit`: who did what, when, from which address;
- :mod:`app.auth.throttle`: failed sign-ins per account and per address (read from the audit);
- :mod:`app.auth.cli`: ``python -m app editor ...``.
"""
