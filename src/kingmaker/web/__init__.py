"""The web dashboard and JSON API (``kingmaker serve``): a thin layer over ``service``.

``create_app`` builds the FastAPI app over a ``Kingmaker``; ``serve`` runs it;
``WebSettings`` says who may write and what the limits are.
"""

from typing import TYPE_CHECKING

from kingmaker.lazy import attach
from kingmaker.web.settings import WebSettings

if TYPE_CHECKING:
    from kingmaker.web.app import create_app, serve

# The app loads FastAPI: imported when first used.
__getattr__, __dir__ = attach(
    __name__, {"create_app": "kingmaker.web.app", "serve": "kingmaker.web.app"}
)

__all__ = ["WebSettings", "create_app", "serve"]
