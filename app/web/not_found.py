"""Unknown addresses answer HTTP 404.

Dash serves its single-page shell for every path (``/<path:path>``) and Dash pages draws
its "not found" layout in the browser, so ``/nonexistent`` answered 200: a broken link in
a report looked like a working page to link checkers and crawlers. This hook keeps the
same page (the browser still shows the dashboard's 404 page, :mod:`app.pages.not_found`)
and sets the status to 404 when the path is no registered page. Paths are compared as
Dash pages compares them (without leading and trailing slashes).
"""

from __future__ import annotations

import dash
from flask import Response, request

from app.pages.not_found import MODULE as NOT_FOUND_MODULE


def known_paths() -> set[str]:
    """Paths of every registered page, without slashes ("" is the overview).

    Read per request (a handful of pages: microseconds), so a page registered after the
    app factory (a test's page) is known too."""
    return {
        str(page["path"]).strip("/")
        for module, page in dash.page_registry.items()
        if module.split(".")[-1] != NOT_FOUND_MODULE and not page.get("path_template")
    }


def is_page_path(relative: str, known: set[str]) -> bool:
    """Is ``relative`` (a path under the app's prefix) one of the ``known`` page paths?

    >>> is_page_path("/sources/", {"", "sources"}), is_page_path("/nonexistent", {""})
    (True, False)
    """
    return relative.strip("/") in known


def answer_404_for_unknown_pages(app: dash.Dash) -> None:
    """After-request hook on ``app.server``: Dash's catch-all page route, unknown path -> 404."""
    catch_all = (app.config.routes_pathname_prefix or "/") + "<path:path>"

    def not_found(response: Response) -> Response:
        rule = request.url_rule
        if (
            rule is not None
            and rule.rule == catch_all
            and response.status_code == 200
            and not is_page_path(app.strip_relative_path(request.path) or "", known_paths())
        ):
            response.status_code = 404
        return response

    app.server.after_request(not_found)
