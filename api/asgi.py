"""The ASGI entry point uvicorn imports in each worker process."""

from api.app import create_app
from runtime.logging import configure_logging

configure_logging()
app = create_app()
