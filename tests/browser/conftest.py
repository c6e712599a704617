"""A real browser: Debian's Chromium driven by Playwright's Python package, and the pinned
GraphiQL builds installed once with the documented command, `python -m server assets`.

Both are skipped, with the reason, only where they cannot be had: no Playwright package, no
Chromium binary, no npm. `.ci/run` installs all three.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.live import ROOT
from web import assets

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

# The flags this machine's notes give for headless Chromium with no network but loopback;
# Playwright adds --headless and a fresh --user-data-dir itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CRISISGRAPH_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: .venv/bin/pip install -e '.[browser]'")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium: apt-get install chromium (or set CRISISGRAPH_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def graphiql_assets() -> Path:
    """A folder with the pinned builds installed, reused while the pins stay the same."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed, so `.venv/bin/python -m server assets` cannot run")
    lock = (assets.PINS / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = cache / "crisisgraph" / f"test-graphiql-{hashlib.sha256(lock).hexdigest()[:12]}"
    if not assets.installed(folder):
        result = subprocess.run(
            [sys.executable, "-m", "server", "assets"],
            cwd=ROOT,
            env={**os.environ, "CRISISGRAPH_ASSETS_DIR": str(folder)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    return folder


# Reports every violation of the page's policy, whether or not the browser logs it.
CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


def stays_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@dataclass
class Visit:
    """A page with what it asked the network for and what it logged."""

    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations")
        return found + [line for line in self.console if "Content Security Policy" in line]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    """A fresh page that lets no request past 127.0.0.1: others are recorded and aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    visit = Visit(context.new_page())

    def guard(route: Route) -> None:
        if stays_local(route.request.url):
            route.continue_()
        else:
            visit.blocked.append(route.request.url)
            route.abort()

    def log(message: ConsoleMessage) -> None:
        visit.console.append(f"{message.type}: {message.text}")

    context.route("**/*", guard)
    context.on("request", lambda request: visit.requests.append(request.url))
    visit.page.on("console", log)
    visit.page.on("pageerror", lambda error: visit.console.append(f"pageerror: {error}"))
    visit.page.add_init_script(CSP_LISTENER)
    yield visit
    context.close()
