"""The web dashboard and JSON API (``kingmaker serve``): a thin layer over ``service``.

``create_app`` builds the FastAPI app over a ``Kingmaker``; ``serve`` runs it;
``WebSettings`` says who may write and what the limits are.
"""

from kingmaker.web.app import create_app, serve
from kingmaker.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "serve"]
