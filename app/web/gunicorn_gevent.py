"""``serve --prod``'s process with gevent workers: gevent's monkey-patching, then gunicorn.

gunicorn's gevent worker patches the standard library itself, but only in each worker,
after the fork. With ``--preload`` the app is built in the master before that, so its
locks (``app.store.live``), SQLAlchemy's connection pools and psycopg's choice of wait
function (psycopg uses its C ``wait_c``, which blocks the whole worker, unless ``select``
is already patched when it is imported) would be the blocking originals. A blocking lock
held by one greenlet while it waits on the network deadlocks the worker. Patching here,
before anything else is imported, makes every one of them gevent's (gevent's advice:
patch as early as possible). Run as ``python -m app.web.gunicorn_gevent`` + gunicorn's
arguments (app.cli.gunicorn_argv).
"""

import sys


def threading_is_patched() -> bool:
    """Whether gevent has patched ``threading`` in this process (without importing gevent)."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


if __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()
    from gunicorn.app.wsgiapp import run

    sys.argv[0] = "gunicorn"
    run(prog="gunicorn")
