"""The rendered reports in a real browser (Debian's headless Chromium): they load, images decode,
no console errors, nothing overflows a phone's width; a screenshot of the index is kept to look at."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from helpers import paths

# Debian's chromium here and in CI; the Chrome that GitHub's runners ship in the scheduled workflow.
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail(
            "Chromium and chromedriver are missing: .ci/run installs Debian's chromium and chromium-driver",
            pytrace=False,
        )
    pytest.skip("install Debian's chromium and chromium-driver to run the browser test", allow_module_level=True)

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPORTS = sorted(p for p in paths.ROOT.joinpath("reports").glob("*.html"))
SCREENSHOTS = paths.ROOT / ".build" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_page(driver, path, width=1280, height=900):
    driver.set_window_size(width, height)
    driver.get(path.as_uri())
    driver.get_log("browser")  # start each page with an empty console


def test_there_are_reports():
    assert (paths.ROOT / "reports" / "index.html") in REPORTS and len(REPORTS) > 1


@pytest.mark.parametrize("page", REPORTS, ids=lambda p: p.name)
def test_page_loads_with_decoded_images_and_no_console_errors(browser, page):
    open_page(browser, page)
    browser.refresh()
    assert browser.title.strip(), "the page has no title"
    assert browser.find_elements("css selector", "h1"), "the page has no H1"
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt || '']);"
    )
    assert all(ok for ok, _ in images), "an image did not decode"
    assert all(alt.strip() for _, alt in images), "an image has no alt text"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


@pytest.mark.parametrize("page", REPORTS, ids=lambda p: p.name)
def test_page_fits_a_phone(browser, page):
    open_page(browser, page, width=390, height=844)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
    )
    assert overflow <= 2, f"the page is {overflow}px wider than a phone's screen"


def test_report_links_from_the_index_resolve(browser):
    open_page(browser, paths.ROOT / "reports" / "index.html")
    links = browser.execute_script("return Array.from(document.querySelectorAll('a')).map(a => a.href);")
    local = [link for link in links if link.startswith("file://")]
    assert local, "the index links to no report"
    for link in local:
        target = link.removeprefix("file://").split("#")[0]
        assert os.path.exists(target), f"broken link on the index: {link}"


def test_screenshot_of_the_index_for_a_person(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    open_page(browser, paths.ROOT / "reports" / "index.html", width=1200, height=1400)
    shot = SCREENSHOTS / "index.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    print(f"screenshot of the index: {paths.relative(shot)}")
