"""A health endpoint for a load balancer in webhook mode: `GET /health` answers 200 with what
the bot holds while it takes updates, 503 while it does not.

PTB's webhook server (tornado) serves only the webhook path and its handlers live in a private
module, so the endpoint is a small tornado server of its own, on its own port
(SAIDWHO_HEALTH_PORT), beside it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[dict[str, Any] | None]]  # what to report, or None: unhealthy


class _Health(RequestHandler):
    def initialize(self, check: Check) -> None:
        self.check = check

    async def get(self) -> None:
        try:
            report = await self.check()
        except Exception as exc:  # a broken store is unhealthy, and said so, not a 500 page
            log.warning("Health check failed: %s", exc)
            report = None
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        if report is None:
            self.set_status(503)
            self.finish(json.dumps({"status": "unavailable"}))
        else:
            self.finish(json.dumps({"status": "ok", **report}))


class HealthServer:
    def __init__(self, check: Check, listen: str, port: int) -> None:
        self._app = Application([(r"/health", _Health, {"check": check})])
        self._listen, self._port = listen, port
        self._server: HTTPServer | None = None

    def start(self) -> None:
        """Listen now, on the running event loop; a port in use raises OSError."""
        self._server = self._app.listen(self._port, self._listen, xheaders=True)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
