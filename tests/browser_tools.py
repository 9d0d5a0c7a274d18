"""Headless Chromium for the browser tests (the built book, JupyterLab), shared by tests/built
and tests/platforms. Debian's ``chromium`` and ``chromium-driver`` are required: ``make browser``
installs them; without them a test FAILS with what to install, never skips."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def chrome(window: str = "1280,1600"):
    """A headless Chromium driven by Selenium, with the browser console log enabled."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail(
            "headless Chromium is not installed, so the browser tests cannot run: "
            "`make browser` (as root) or `apt-get install chromium chromium-driver`."
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", f"--window-size={window}",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    return driver
