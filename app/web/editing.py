"""Wires editing into the Flask server: the signed session cookie, CSRF, the upload cap,
trusted proxies, and the ``/data`` pages and ``/api`` routes.

- **Key.** ``NWS_SECRET_KEY`` signs the session cookie. Without it nobody can sign in; with
  editors in the store and no key the server refuses to start (:func:`check_secret`).
- **Cookie.** ``HttpOnly``, ``SameSite=Lax`` (a link to ``/data`` from an e-mail still opens
  signed in; a cross-site POST never carries it), ``Path=/data`` (the public pages and
  their callbacks never receive it), ``Secure`` per ``NWS_COOKIE_SECURE`` (``auto``: when
  the request came over https, so ``http://127.0.0.1`` works for a local team; set
  ``always`` behind https).
- **CSRF.** flask-wtf's ``CSRFProtect`` with ``WTF_CSRF_CHECK_DEFAULT = False``: only the
  ``/data`` forms are checked (by the blueprint, on every POST; a missing or wrong token is
  400). Dash's ``/_dash-update-component`` (no cookie, no state change) and ``/api``
  (bearer tokens, which a browser never sends on its own) are therefore not checked.
- **Size.** Requests to ``/data`` and ``/api`` larger than ``NWS_MAX_UPLOAD_MB`` are
  refused with 413 before their body is read.
- **Proxies.** With ``NWS_PROXIES = n``, werkzeug's ``ProxyFix`` trusts the last ``n``
  ``X-Forwarded-For`` / ``-Proto`` hops: the audit and throttling see the client's address.
"""

from __future__ import annotations

from typing import Any

import dash
from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

from app.auth.sessions import LIFETIME
from app.config import Config, ConfigError
from app.store.engine import StoreConfig

MIN_KEY_LENGTH = 32
COOKIE_NAME = "nws_editor"
COOKIE_SECURE_VALUES = ("auto", "always", "never")


def check_secret(cfg: Config, store: StoreConfig | None = None) -> bool:
    """Whether editing is on (a key is set); ConfigError when the settings cannot work.

    Refused: a key shorter than :data:`MIN_KEY_LENGTH`; no key while the store has editors
    (they could not sign in, and a key made up at start would differ between workers);
    ``NWS_COOKIE_SECURE`` outside auto / always / never.
    """
    if cfg.cookie_secure not in COOKIE_SECURE_VALUES:
        raise ConfigError(f"NWS_COOKIE_SECURE={cfg.cookie_secure!r}: expected auto, always or never")
    if cfg.max_upload_mb < 1:
        raise ConfigError(f"NWS_MAX_UPLOAD_MB={cfg.max_upload_mb}: expected 1 or more")
    if cfg.proxies < 0:
        raise ConfigError(f"NWS_PROXIES={cfg.proxies}: expected 0 or more")
    if cfg.secret_key:
        if len(cfg.secret_key) < MIN_KEY_LENGTH:
            raise ConfigError(
                f"NWS_SECRET_KEY has {len(cfg.secret_key)} characters; expected at least "
                f"{MIN_KEY_LENGTH} (python -c \"import secrets; print(secrets.token_urlsafe(48))\")"
            )
        return True
    from app.auth.accounts import count_editors
    from app.store.engine import ensure_ready

    store = store or StoreConfig.from_config(cfg)
    ensure_ready(store)
    n = count_editors(store)
    if n:
        raise ConfigError(
            f"NWS_SECRET_KEY is not set, but the store has {n} editor(s) who could not sign "
            "in: set NWS_SECRET_KEY (at least 32 characters, the same for every worker), "
            "or remove the editors (python -m app editor remove NAME)"
        )
    return False


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, ``Secure`` decided per request for ``auto``."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def get_cookie_secure(self, app: Flask) -> bool:
        if self.mode == "always":
            return True
        if self.mode == "never":
            return False
        return bool(has_request_context() and request.is_secure)


def install_editing(app: dash.Dash, cfg: Config) -> None:
    """Session, CSRF, proxies and the editor routes on ``app.server``."""
    server: Any = app.server
    enabled = check_secret(cfg)
    if cfg.proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=cfg.proxies, x_proto=cfg.proxies)
    if enabled:
        server.secret_key = cfg.secret_key
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/data",
        PERMANENT_SESSION_LIFETIME=LIFETIME,
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session's life (at most 8 hours)
        NWS_EDITING=enabled,
        NWS_MAX_UPLOAD_BYTES=cfg.max_upload_mb * 1024 * 1024,
    )
    server.session_interface = _SessionInterface(cfg.cookie_secure)
    from flask_wtf.csrf import CSRFProtect

    csrf = CSRFProtect(server)
    from app.web.api import api
    from app.web.editor import make_editor_blueprint

    server.register_blueprint(make_editor_blueprint(csrf))
    server.register_blueprint(api)


def upload_cap() -> int:
    """The cap in bytes for this request's app."""
    from flask import current_app

    return int(current_app.config["NWS_MAX_UPLOAD_BYTES"])


def refuse_large_bodies() -> None:
    """Before a ``/data`` or ``/api`` view: 413 for a declared length above the cap, and a
    cap on what is read for a body without one (chunked)."""
    from werkzeug.exceptions import RequestEntityTooLarge

    cap = upload_cap() + 1024 * 1024  # the form's other fields and multipart framing
    request.max_content_length = cap
    if request.content_length is not None and request.content_length > cap:
        raise RequestEntityTooLarge()


def too_large_message() -> str:
    mb = upload_cap() // (1024 * 1024)
    from app.i18n import _  # in the request's language (editors' pages, the API's message)

    return _(
        "the file is larger than {mb} MB (NWS_MAX_UPLOAD_MB); split it, or ask the "
        "administrator to raise the cap"
    ).format(mb=mb)


def client_address() -> str:
    return request.remote_addr or "unknown"
