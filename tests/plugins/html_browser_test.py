#!/usr/bin/env python3
"""The HTML report in a real browser: Debian's chromium, headless.

Classifies the bundled sample into a fresh database, writes the report as HTML and as JSON
with the real `baro`, opens the page (file://) in headless chromium driven through the
DevTools protocol over a pipe (--remote-debugging-pipe: file descriptors 3 and 4,
NUL-terminated JSON messages; no port, no network), takes a screenshot, and checks:
- each chart is an <svg> that rendered with a non-zero size, with the marks it should have
  (one bar per domain row, one point per commune with a population, the fitted line);
- the key figures in the page (data-value and the French text shown) equal the JSON report's.
The page's own content has no script: the browser evaluates the checks from outside.

Usage: html_browser_test.py --baro BIN --template-db DB --sample CSV --rules DIR --work DIR
                            [--plugin-path DIR] [--screenshot PNG [--screenshot-top PX]]
The README's picture (docs/report-screenshot.png) is the -top.png of a run on rules/fr with
--screenshot-top 2400.
Every wait is bounded (TIMEOUT_S); chromium is killed on any exit.
"""
import argparse
import base64
import json
import math
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 120
NBSP = "\u00a0"

failures = []
passed = []


def check(condition, what):
    print(("ok      " if condition else "FAILED  ") + what)
    (passed if condition else failures).append(what)


# French formatting, written independently of the C++ renderer it checks.
def fr_group(digits):
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def fr_integer(n):
    return ("\u2212" if n < 0 else "") + fr_group(str(abs(int(n))))


def fr_decimal(x, decimals):
    text = f"{abs(x):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    negative = x < 0 and text.strip("0.") != ""
    return ("\u2212" if negative else "") + fr_group(whole) + ("," + fraction if fraction else "")


class Browser:
    """chromium with the DevTools protocol on fds 3 (commands) and 4 (replies, events)."""

    def __init__(self, user_data_dir):
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def child_fds():
            # The protocol's fixed descriptors; dup2 clears close-on-exec on the copies.
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            raise SystemExit("chromium is not installed: run tools/setup-debian.sh --with-browser")
        self.process = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--remote-debugging-pipe", f"--user-data-dir={user_data_dir}",
             "--window-size=1000,1400", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.out = to_chrome_w
        self.inp = from_chrome_r
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT_S

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.out)
        os.close(self.inp)

    def _read_message(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.inp], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.inp, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe (it exited)")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, session):
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message())


# What the page looks like once rendered, measured in the browser.
PROBE = r"""
JSON.stringify({
  charts: Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    return {id: svg.id, width: box.width, height: box.height,
            title: (svg.querySelector('title') || {}).textContent || '',
            desc: (svg.querySelector('desc') || {}).textContent || '',
            bars: svg.querySelectorAll('g.bar rect').length,
            points: svg.querySelectorAll('g.points circle').length,
            fit: svg.querySelectorAll('line.fit').length,
            visibleMarks: Array.from(svg.querySelectorAll('rect, circle'))
                .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length};
  }),
  figures: Object.fromEntries(Array.from(document.querySelectorAll('[data-figure]'))
      .map(e => [e.dataset.figure, {value: e.dataset.value, text: e.textContent}])),
  findings: Array.from(document.querySelectorAll('[data-finding]')).map(e => e.textContent),
  // The scatter's floor: the lowest point (largest cy) against the x axis (the axes' first
  // horizontal line), in the chart's own coordinates.
  scatterLowestPoint: Math.max(...Array.from(document.querySelectorAll('#chart-scatter g.points circle'))
      .map(c => parseFloat(c.getAttribute('cy')))),
  scatterAxisY: parseFloat(document.querySelector('#chart-scatter g.axes line').getAttribute('y1')),
  pageText: document.documentElement.textContent,
  sections: Array.from(document.querySelectorAll('section[id]')).map(e => e.id),
  ruralGap: (document.querySelector('#rural-gap') || {}).textContent || '',
  scripts: document.scripts.length,
  lang: document.documentElement.lang,
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight
})
"""


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def baro(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    for name in ("--baro", "--template-db", "--sample", "--rules", "--work"):
        parser.add_argument(name, required=True)
    parser.add_argument("--plugin-path", default=None)
    parser.add_argument("--screenshot", default=None)
    parser.add_argument("--screenshot-top", type=int, default=None, metavar="PX",
                        help="also write the top PX pixels of the page to SCREENSHOT-top.png (the README's picture)")
    opts = parser.parse_args()

    os.makedirs(opts.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="baro-browser-", dir=opts.work)
    try:
        db = os.path.join(work, "baro.db")
        shutil.copyfile(opts.template_db, db)
        plugin_args = ["--plugin-path", opts.plugin_path] if opts.plugin_path else []
        baro([opts.baro, "classify", "--db", db, "--rules", opts.rules, opts.sample])
        page = os.path.join(work, "report.html")
        baro([opts.baro, "report", "--db", db, "--format", "html", "--out", page] + plugin_args)
        report = json.loads(baro([opts.baro, "report", "--db", db, "--format", "json"] + plugin_args))

        browser = Browser(os.path.join(work, "chromium-profile"))
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.send("Page.enable", session=session)
            browser.send("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=session)
            browser.wait_event("Page.loadEventFired", session)
            probe = browser.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, session=session)
            page_state = json.loads(probe["result"]["value"])
            shot = base64.b64decode(browser.send(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)["data"])
            if opts.screenshot and opts.screenshot_top:
                top = base64.b64decode(browser.send("Page.captureScreenshot", {
                    "format": "png", "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": 1000, "height": opts.screenshot_top, "scale": 1}},
                    session=session)["data"])
                with open(os.path.splitext(opts.screenshot)[0] + "-top.png", "wb") as f:
                    f.write(top)
        finally:
            browser.close()
        if opts.screenshot:
            with open(opts.screenshot, "wb") as f:
                f.write(shot)

        size = png_size(shot)
        check(size is not None and size[0] > 0 and size[1] > 0, f"the screenshot is a PNG ({size})")
        check(len(shot) > 20000, f"the screenshot is not blank ({len(shot)} bytes)")
        check(page_state["lang"] == "fr", "the page is in French")
        check(page_state["scripts"] == 0, "the page has no script")

        charts = {c["id"]: c for c in page_state["charts"]}
        check(set(charts) == {"chart-domains", "chart-scatter", "chart-rural"}, f"three charts: {sorted(charts)}")
        for chart in charts.values():
            check(chart["width"] > 100 and chart["height"] > 100,
                  f"{chart['id']} rendered at {chart['width']:.0f}x{chart['height']:.0f}")
            check(chart["title"] != "" and chart["desc"] != "", f"{chart['id']} has a title and a description")
            check(chart["visibleMarks"] > 0, f"{chart['id']} has visible marks ({chart['visibleMarks']})")
        plotted = [p for p in report["commune_points"] if (p["population"] or 0) > 0]
        check(charts["chart-domains"]["bars"] == len(report["domains"]),
              f"one bar per domain row ({charts['chart-domains']['bars']})")
        check(charts["chart-scatter"]["points"] == len(plotted),
              f"one point per commune with a population ({charts['chart-scatter']['points']} of {len(plotted)})")
        check(charts["chart-scatter"]["fit"] == 1, "the fitted line is drawn")
        check(page_state["width"] <= 1000, f"no horizontal overflow at 1000 px ({page_state['width']})")

        figures = page_state["figures"]
        fit = report["size_effect"]["loglog_fit"]
        expected = {
            "initiatives": (report["initiatives"], fr_integer(report["initiatives"])),
            "communes": (report["communes"], fr_integer(report["communes"])),
            "spearman": (report["size_effect"]["spearman"]["coefficient"],
                         fr_decimal(report["size_effect"]["spearman"]["coefficient"], 2)),
            "elasticity": (fit["elasticity"], fr_decimal(fit["elasticity"], 2)),
            "size.r_squared": (fit["r_squared"], fr_decimal(fit["r_squared"], 2)),
            "coverage.median": (report["coverage"]["initiatives_per_commune"]["median"],
                                fr_decimal(report["coverage"]["initiatives_per_commune"]["median"], 1)),
            "rural.threshold": (report["rural"]["definition"]["threshold"],
                                fr_integer(report["rural"]["definition"]["threshold"])),
            "rural.rural.communes": (report["rural"]["rural"]["communes"], fr_integer(report["rural"]["rural"]["communes"])),
            "rural.urban.initiatives": (report["rural"]["urban"]["initiatives"],
                                        fr_integer(report["rural"]["urban"]["initiatives"])),
        }
        model = report["rural"]["count_model"]
        if model is not None:
            expected["rural_rate_ratio"] = (model["rate_ratio"], fr_decimal(model["rate_ratio"], 2))
            expected["rural.rate_ratio"] = (model["rate_ratio"], fr_decimal(model["rate_ratio"], 2))
            expected["rural.ci95_low"] = (model["ci95_low"], fr_decimal(model["ci95_low"], 2))
            expected["rural.ci95_high"] = (model["ci95_high"], fr_decimal(model["ci95_high"], 2))
        for row in report["domains"]:
            key = row["domain"] or "unclassified"
            expected[f"domain.{key}.primary_count"] = (row["primary_count"], fr_integer(row["primary_count"]))
            expected[f"domain.{key}.primary_share"] = (row["primary_share"],
                                                       fr_decimal(row["primary_share"] * 100, 1) + NBSP + "%")
        for band in report["breakdowns"]["population_bands"]:
            expected[f"band.{band['key']}.initiatives"] = (band["initiatives"], fr_integer(band["initiatives"]))
        for key, (value, text) in expected.items():
            shown = figures.get(key)
            if shown is None:
                check(False, f"the page shows {key}")
                continue
            same_value = json.loads(shown["value"]) == value if shown["value"] else value is None
            check(same_value and shown["text"] == text,
                  f"{key}: page {shown['value']!r} shown as {shown['text']!r}, JSON {value!r} ({text!r})")
        # The scatter starts below 1: communes with a single initiative sit above the x axis.
        ones = [p for p in plotted if p["initiatives"] == 1]
        check(len(ones) > 0 and page_state["scatterLowestPoint"] < page_state["scatterAxisY"] - 5,
              f"the scatter's floor is below 1: {len(ones)} communes with one initiative above the axis "
              f"(lowest point at y={page_state['scatterLowestPoint']}, axis at y={page_state['scatterAxisY']})")
        check("(s)" not in page_state["pageText"], "plurals follow the counts: no '(s)' anywhere in the page")
        check("1" + NBSP + "initiative," in page_state["pageText"],
              "a commune with one initiative reads '1 initiative' in its tooltip")
        check("Classement" not in page_state["pageText"], "a run is a classification, not a 'Classement'")
        check({"essentiel", "domaines", "qualite", "taille", "rural", "methode"} <= set(page_state["sections"]),
              f"the page's sections: {page_state['sections']}")
        # No coded sample here (baro sample, baro validate): the quality section says so.
        check(report["quality"]["validation"] is None
              and "les parts des domaines ne sont pas corrigées" in page_state["pageText"],
              "« Qualité du classement » says that the shares are uncorrected without a coded sample")
        check(model is not None and "rapport de taux" in page_state["ruralGap"]
              and fr_decimal(model["rate_ratio"], 2) in page_state["ruralGap"],
              f"the rural section gives the count model's rate ratio: {page_state['ruralGap'][:120]!r}")
        check(page_state["findings"] == [f["text"] for f in report["findings"]],
              f"the {len(report['findings'])} findings of the JSON are in the page, in order")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{len(passed)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
