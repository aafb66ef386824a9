"""Real-browser tests: Debian's Chromium driven by Playwright (browsers cannot be downloaded here)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)  # under CI a missing browser fails the browser tests; it never skips them
        pytest.skip(message)
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


@pytest.fixture
def screenshot():
    """Save the page as a test artifact: artifacts/screenshots/<name>.png."""

    def _take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def log_in(live_server):
    def _log_in(page, username: str, password: str = "flowparty-demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("工号/学号或电子邮箱").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _log_in


@pytest.fixture
def csp_violations(page):
    """Console messages about the Content-Security-Policy: a flow must end with none."""
    messages = []
    page.on(
        "console", lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return messages
