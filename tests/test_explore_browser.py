"""The explorer page in a real headless Chromium, driven over the DevTools protocol.

Skipped when no ``chromium`` is on the PATH (Debian: ``apt-get install -y chromium``) or the
``websocket-client`` package is missing.  The page is opened from ``file://``, as a reader
would open it; a slider is moved with the keyboard, and the highlighted path, the outcome and
the claim statuses must then be those the precomputed table gives for the new grid point.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request

import pytest

from deterrence.explore import explorer_data, write_explorer
from deterrence.library import get_model

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
websocket = pytest.importorskip("websocket", reason="websocket-client is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on the PATH")

SLUG = "iran-pakistan-sequential"
NAMES = ["us_ct_stake", "china_mediation"]


class Browser:
    """A headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, profile):
        assert CHROMIUM is not None
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={profile}",
                "--window-size=420,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):  # at most 30 s for the browser to start
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        else:
            self.close()
            pytest.skip("chromium did not start")
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            pages = [t for t in json.load(answer) if t["type"] == "page"]
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.counter = 0

    def call(self, method, **params):
        self.counter += 1
        self.socket.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        for _ in range(10_000):
            message = json.loads(self.socket.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]
        raise RuntimeError(f"no answer to {method}")

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression):
        for _ in range(200):  # at most 20 s
            if self.js(expression):
                return
            time.sleep(0.1)
        raise AssertionError(f"never true in the page: {expression}")

    def press(self, key, code):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=39)

    def close(self):
        if getattr(self, "socket", None) is not None:
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    doc = explorer_data(get_model(SLUG), NAMES, 3)
    page, data = write_explorer(doc, tmp_path_factory.mktemp("site"))
    return page, json.loads(data.read_text(encoding="utf-8"))


@pytest.fixture
def browser(tmp_path):
    b = Browser(tmp_path / "profile")
    yield b
    b.close()


STATE = """(() => ({
  point: +document.body.dataset.point,
  outcome: document.getElementById("outcome").textContent,
  path: [...document.querySelectorAll("line.edge.path")].map(e => [+e.dataset.node, e.dataset.action]),
  claims: Object.fromEntries([...document.querySelectorAll("tr[data-claim]")]
            .map(r => [r.dataset.claim, r.querySelector(".status").textContent])),
  value: document.getElementById("v-us_ct_stake").textContent,
  current: document.getElementById("map-current").getAttribute("x"),
}))()"""


def expected_path(data, point):
    node, path = data["tree"][0], []
    while node["kind"] != "terminal":
        probs = point["choice"][str(node["id"])]
        k = max(range(len(probs)), key=probs.__getitem__)
        path.append([node["id"], node["actions"][k]])
        node = data["tree"][node["children"][k]]
    return path


def expected_claims(data, point):
    return {data["claims"]["ids"][c]: data["claims"]["texts"][t][0] for c, t in point["claims"]}


def test_moving_a_slider_changes_path_and_claims_as_the_table_says(site, browser):
    page, data = site
    browser.call("Page.enable")
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("document.readyState === 'complete' && document.body.dataset.point !== undefined")
    before = browser.js(STATE)
    # Defaults us_ct_stake = 1 and china_mediation = 1/2 snap to the first levels: point 0.
    assert before["point"] == 0
    assert before["value"] == "0"
    assert before["path"] == expected_path(data, data["points"][0])
    assert before["path"][0] == [0, "calibrated"]
    assert before["claims"] == expected_claims(data, data["points"][0])
    assert before["outcome"].startswith(data["points"][0]["outcome"])

    browser.js("document.querySelector('input[data-param=china_mediation]').focus()")
    browser.press("ArrowRight", "ArrowRight")
    browser.wait_for("+document.body.dataset.point === 1")
    browser.press("ArrowRight", "ArrowRight")
    browser.wait_for("+document.body.dataset.point === 2")
    after = browser.js(STATE)
    # Two levels up on the fastest axis: point 2 (china_mediation = 5), where a counter-terror Iran
    # backs down even after a direct strike, so Pakistan strikes directly (tests/test_explore.py).
    assert after["point"] == 2
    assert browser.js("document.querySelector('input[data-param=china_mediation]').value") == "2"
    assert after["path"] == expected_path(data, data["points"][2]) == [[0, "direct"], [7, "stand down"]]
    assert after["claims"] == expected_claims(data, data["points"][2])
    assert after["claims"] != before["claims"]
    assert after["outcome"].startswith(data["points"][2]["outcome"])


def test_clicking_the_regime_map_moves_the_sliders(site, browser):
    page, data = site
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("document.readyState === 'complete' && document.body.dataset.point !== undefined")
    browser.js(
        'document.querySelector(\'rect.map-cell[data-i="2"][data-k="1"]\')'
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    state = browser.js(STATE)
    assert state["point"] == 2 * 3 + 1  # us_ct_stake level 2, china_mediation level 1
    assert browser.js("document.querySelector('input[data-param=china_mediation]').value") == "1"
    assert state["claims"] == expected_claims(data, data["points"][7])
