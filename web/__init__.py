"""arkiv's web UI and JSON API (Flask).

``create_app`` (web.app) is the application factory: ``flask --app web run`` finds it here,
``arkiv serve`` calls it in each gunicorn worker (web.serve).  Per-process state and the
request's store: web.state.
"""
from web.app import create_app

__all__ = ["create_app"]
