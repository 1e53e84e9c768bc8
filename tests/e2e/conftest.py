"""Browser end-to-end tests: one real `zhiban serve` with the demo organisation for the whole
session, driven by Debian's chromium through pytest-playwright; every test gets fresh browser
contexts (own cookies), so tests do not depend on each other's order.

Contexts are English browsers (locale en-US): the product must still start in Chinese.
Every test module sets ``pytestmark = pytest.mark.e2e`` (``-m "not e2e"`` leaves them out).
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fresh import demo_token, fresh_env, live_server

# The server, chromium and the tests share two cores: give pages time to arrive when the
# machine is busy (expectations still fail when the page never shows what they wait for).
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"


@dataclass
class Zhiban:
    base: str  # e.g. http://127.0.0.1:41234
    env: dict  # the environment of the server (for `zhiban` commands, e.g. demo_token)

    def token(self, login: str, sources=()) -> str:
        token = demo_token(self.env, login, sources)
        assert token, f"no API token for {login}"
        return token

    def api(self, method: str, path: str, token: str, body=None) -> dict:
        """Call the JSON API with a personal token; returns the decoded answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.base}/api{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")


@pytest.fixture(scope="session")
def zhiban_server():
    """A fresh Zhiban with the demo organisation, served for the whole e2e session."""
    with fresh_env(start="demo") as env, live_server(env) as base:
        yield Zhiban(base=base, env=env)


@pytest.fixture(scope="session")
def base_url(zhiban_server) -> str:
    """pytest-playwright gives every context this base URL, so page.goto("/c/suwu/") works."""
    return zhiban_server.base


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """An English browser: the UI must be Chinese anyway until someone switches."""
    return {**browser_context_args, "locale": "en-US"}


SERVER_LINES = 60  # of the server's log, shown under a failed browser test


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the last lines the server logged (requests, sockets,
    errors): a flaky failure in CI can be read without running it again."""
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("zhiban_server") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or server is None:
        return
    log = Path(server.env["ZHIBAN_DATA"]) / "serve.log"
    if log.exists():
        lines = log.read_text(errors="replace").splitlines()[-SERVER_LINES:]
        report.sections.append(("zhiban serve: its last lines", "\n".join(lines)))
