"""Chapter 1 as a learner sees it in JupyterLab (Binder, `make lab`): the learner environment's
JupyterLab, started through `start`, in headless Chromium. The MyST renders (jupyterlab-myst):
no raw admonition fences or roles on screen, and no nbgrader menu. The screenshot is kept in
``_build/screenshots/jupyterlab-01_neuron.png``."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

import pytest
from browser_tools import chrome
from conftest import ROOT

SCREENSHOTS = ROOT / "_build" / "screenshots"
RAW_MYST = (":::{admonition}", ":class: tip", "{term}`", "{doc}`", "```{exercise}")


def _raw_myst(text: str) -> list[str]:
    """The MyST source fragments shown as text (none once jupyterlab-myst has rendered)."""
    return [raw for raw in RAW_MYST if raw in text]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(learner, tmp_path_factory):
    port = _free_port()
    cmd = [str(ROOT / "start"), str(learner / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}"]
    cmd += ["--ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=", "--LabApp.news_url=None"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jupyter-config"))}
    log = (tmp_path_factory.mktemp("lab") / "lab.log").open("w")
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail(f"JupyterLab did not start; see {log.name}")
    yield url
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    driver = chrome("1400,1800")
    yield driver
    driver.quit()


def test_chapter_1_renders_myst_in_the_learners_jupyterlab(lab, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{lab}/lab/tree/chapters/01_neuron.ipynb")
    wait = WebDriverWait(browser, 90)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-MarkdownCell")))
    notebook_text = lambda b: b.find_element(By.CSS_SELECTOR, ".jp-Notebook").text  # noqa: E731
    # JupyterLab attaches cells progressively, and a cell can show its source for a moment before
    # jupyterlab-myst renders it ("Learning objectives" is in the raw fence too). Wait until the
    # notebook's text is rendered and stable for a second, for at most 90 s.
    deadline, text = time.monotonic() + 90, ""
    while time.monotonic() < deadline:
        before = notebook_text(browser)
        time.sleep(1)
        text = notebook_text(browser)
        if text == before and "Learning objectives" in text and not _raw_myst(text):
            break
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "jupyterlab-01_neuron.png"))
    raw = _raw_myst(text)
    where = text[max(0, text.find(raw[0]) - 200) : text.find(raw[0]) + 100] if raw else ""
    assert not raw, f"JupyterLab shows raw MyST ({raw[0]!r}), in: {where!r}. Is jupyterlab-myst working?"
    menus = browser.find_element(By.CSS_SELECTOR, "#jp-MainMenu, .lm-MenuBar").text.lower()
    assert "nbgrader" not in menus, f"nbgrader's menu is shown to the learner: {menus!r}"
    tools = browser.find_elements(By.CSS_SELECTOR, "[data-command*='nbgrader'], [title*='Validate']")
    assert not tools, "nbgrader's Validate button is shown to the learner"
