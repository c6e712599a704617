"""Let the app's own log lines (the store, the index build) reach the console.

uvicorn configures its own loggers only; without a handler of their own, the app's INFO
lines (such as "building the search index ...") would fall to Python's last-resort
handler, which shows warnings and above.
"""

from __future__ import annotations

import logging
import sys

from uvicorn.logging import DefaultFormatter

APP_LOGGER = "crisisgraph"


def show_app_logs() -> None:
    """Send the app's log lines to standard error at uvicorn's level (`--log-level`),
    formatted as uvicorn's are, unless the process configured logging itself (a root
    handler: `uvicorn --log-config`, a test runner) or this was done already."""
    logger = logging.getLogger(APP_LOGGER)
    if logging.getLogger().handlers or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(DefaultFormatter("%(levelprefix)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.getLogger("uvicorn.error").getEffectiveLevel())
