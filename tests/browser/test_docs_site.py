"""The documentation site in a real browser: the built site (`make docs`: _site/, or PATCHNERV_SITE) served on 127.0.0.1 and opened in
headless Chromium. The home page and every chapter page load with no error in the console, no failed request and nothing fetched from
outside; every image on them shows (the README's figures, the chapters' plots); searching `DualHeadHNeRV` finds the model chapter.
Writes the screenshot figures/docs.png.

Not part of `make test` (it needs Chromium, installed as root with apt): run it with `make test-browser`, which builds the site first."""
import os, re, shutil, threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get('PATCHNERV_BROWSER'), reason='browser test: run it with make test-browser')
ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get('PATCHNERV_SITE', ROOT / '_site'))
CHAPTERS = sorted(p.stem for p in (ROOT / 'nbs').glob('[0-9]*.ipynb'))
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture(scope='module')
def site_url():
    "The built site, served on a free port of 127.0.0.1."
    if not (SITE / 'index.html').exists(): pytest.fail(f'no site at {SITE}: build it with make docs')
    server = ThreadingHTTPServer(('127.0.0.1', 0), partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}/'
    server.shutdown()

@pytest.fixture(scope='module')
def browser():
    sync_api = pytest.importorskip('playwright.sync_api')
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which('chromium') or '/usr/bin/chromium', args=FLAGS)
        yield browser
        browser.close()

def model_chapter() -> str:
    "The chapter that exports `patchnerv.model`."
    names = [c for c in CHAPTERS if re.search(r'#\|\s*default_exp\s+model\b', (ROOT / 'nbs' / f'{c}.ipynb').read_text())]
    assert len(names) == 1, f'one chapter should export patchnerv.model, found {names}'
    return names[0]

def open_page(page, url: str) -> list:
    "Load `url`, wait for its images; the problems seen: console errors, page errors, failed or outside requests, broken images."
    problems = []
    page.on('console', lambda m: m.type == 'error' and problems.append(f'console: {m.text}'))
    page.on('pageerror', lambda e: problems.append(f'page error: {e}'))
    page.on('requestfailed', lambda r: problems.append(f'failed: {r.url} {r.failure}'))
    page.on('response', lambda r: r.status >= 400 and problems.append(f'HTTP {r.status}: {r.url}'))
    origin = '/'.join(url.split('/')[:3])                                            # http://127.0.0.1:<port>
    outside = lambda u: u.startswith(('http:', 'https:')) and not u.startswith(origin + '/')
    page.on('request', lambda r: outside(r.url) and problems.append(f'outside: {r.url}'))
    page.goto(url, wait_until='load')
    page.wait_for_function('[...document.images].every(i => i.complete)', timeout=30_000)
    broken = page.eval_on_selector_all('img', 'imgs => imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.src.slice(0, 80))')
    return problems + [f'broken image: {src}' for src in broken]

def count_figures(page) -> int:
    "Images on the page that loaded and are figure-sized."
    return page.eval_on_selector_all('img', 'imgs => imgs.filter(i => i.naturalWidth >= 100).length')

def test_every_page_loads_and_search_finds_the_model(site_url, browser):
    figures = {}
    for name in ['', *CHAPTERS]:
        page = browser.new_page(viewport={'width': 1280, 'height': 800})
        problems = open_page(page, f'{site_url}{name + "/" if name else ""}')
        assert not problems, f'page {name or "home"}: {problems}'
        assert page.title(), f'page {name or "home"} has no title'
        figures[name or 'home'] = count_figures(page)
        page.close()
    assert figures['home'] > 0, 'the home page (README) shows no figure'
    assert any(figures[c] for c in CHAPTERS), f'no chapter page shows a figure: {figures}'

    model, page = model_chapter(), browser.new_page(viewport={'width': 1280, 'height': 800})
    open_page(page, f'{site_url}{model}/')
    box = page.locator('input.md-search__input')
    box.click()
    box.press_sequentially('DualHeadHNeRV')                                         # typed, as a reader would
    results = page.locator('.md-search-result__item a')
    results.first.wait_for(timeout=30_000)
    hrefs = [a.get_attribute('href') for a in results.all()]
    assert any(f'{model}/' in h for h in hrefs), f'searching DualHeadHNeRV does not find {model}: {hrefs}'
    page.screenshot(path=str(ROOT / 'figures' / 'docs.png'))
    page.close()
