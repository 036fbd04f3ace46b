"""The run's HTML page (regress/html_report.py) in a real browser, and `pezo report --diff`:
two small regressions, the second with a test made to fail (a weight corrupted behind the
scoreboard's back); headless Chromium opens the second's index.html from the file system
and finds the summary, every test row, the failure bucket and the plots drawn, with no error
on the console; the diff names the failure as new."""

import dataclasses
import shutil

import pytest

from regress import cli, html_report, runner, suites
from tb import registry
from tb.train.settings import TrainSettings

TESTS = ["lfsr.LfsrSmokeTest.s32w16", "train.TrainOneStepTest.pool_h8"]
META = {"suite": "html", "seeds": [1], "master_seed": None, "simulators": ["verilator"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    jobs = [suites.Job(t, 1, "verilator") for t in TESTS]
    good = runner.run_jobs(jobs, root / "good", {**META, "run": "good"}, workers=2,
                           activity_window=1000, progress=lambda line: None)
    spec = registry.get(TESTS[1])
    inject = tuple(TrainSettings(inject=True).to_env().items())
    broken = dataclasses.replace(spec, env=(*spec.env, *inject))
    mp = pytest.MonkeyPatch()
    mp.setitem(registry.TESTS, TESTS[1], broken)
    try:
        bad = runner.run_jobs(jobs, root / "bad", {**META, "run": "bad"}, workers=2,
                              activity_window=1000, progress=lambda line: None)
    finally:
        mp.undo()
    return root, good, bad


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    chrome, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chrome and driver, "Debian packages chromium and chromium-driver (make setup)"
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.mark.sim
def test_the_page_renders_in_chromium_without_console_errors(runs):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    root, _, bad = runs
    page = root / "bad" / "index.html"
    assert bad["totals"]["fail"] == 1 and page.exists()
    assert (root / "bad" / "plotly.min.js").exists()
    browser = _browser()
    try:
        browser.get(page.as_uri())
        WebDriverWait(browser, 30).until(
            lambda b: len(b.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")) > 0)
        assert "1/2 passed" in browser.title
        assert browser.find_element(By.ID, "summary").is_displayed()
        totals = browser.find_element(By.ID, "totals").text.split()
        assert totals[:3] == ["2", "1", "1"], totals  # runs, pass, fail
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.test-row")
        assert len(rows) == len(bad["tests"]) == 2
        assert {r.find_elements(By.TAG_NAME, "td")[2].text for r in rows} == set(TESTS)
        buckets = browser.find_elements(By.CSS_SELECTOR, ".bucket")
        assert len(buckets) == 1 and TESTS[1] in buckets[0].text
        assert "step N: loss_" in buckets[0].text  # the first error, numbers masked
        plots = browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
        assert len(plots) == len(html_report.report_plots.all_plots(bad)) >= 4
        for plot in plots:
            assert plot.find_elements(By.CSS_SELECTOR, ".main-svg"), plot.get_attribute("id")
        # the data is drawn: a stacked bar per (status, bench): lfsr passed, train failed
        assert len(browser.find_elements(By.CSS_SELECTOR, "#plot-status .point")) == 2 * 2
        legend = browser.find_elements(By.CSS_SELECTOR, "#plot-status .legendtext")
        assert {e.text for e in legend} == {"pass", "fail"}
        ticks = {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#plot-status .xtick")}
        assert ticks == {"lfsr", "train"}
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        # the console check itself: a page with a script error is caught
        broken = page.with_name("broken.html")
        broken.write_text(page.read_text().replace("</body>", "<script>no_such()</script></body>"))
        browser.get(broken.as_uri())
        assert any("no_such" in e["message"] for e in browser.get_log("browser")
                   if e["level"] == "SEVERE")
    finally:
        browser.quit()


@pytest.mark.sim
def test_diff_lists_the_test_made_to_fail_as_new(runs, capsys):
    root, _, _ = runs
    assert cli.main(["report", "--diff", str(root / "good"), str(root / "bad")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("diff good -> bad: 1 new failure(s), 0 fixed")
    assert f"NEW FAILURE {TESTS[1]} seed 1 verilator: " in out
    assert cli.main(["report", "--diff", str(root / "bad"), str(root / "good")]) == 0
    assert f"FIXED {TESTS[1]} seed 1 verilator" in capsys.readouterr().out


def test_diff_of_a_missing_run_is_one_line_exit_2(tmp_path, capsys):
    assert cli.main(["report", "--diff", str(tmp_path), "nowhere"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and "report.json not found" in err and "\n" not in err


def test_failures_differing_only_in_numbers_share_a_bucket():
    tests = [{"name": n, "seed": s, "simulator": "icarus", "status": "fail", "message": m}
             for n, s, m in (("a", 1, "step 3: g_hat expected 5, actual 6"),
                             ("b", 2, "step 9: g_hat expected 1, actual 2"),
                             ("c", 1, "watchdog: no progress for 2000 clocks"))]
    got = html_report.buckets(tests)
    assert [(b["count"], b["message"]) for b in got] == [
        (2, "step N: g_hat expected N, actual N"), (1, "watchdog: no progress for N clocks")]
