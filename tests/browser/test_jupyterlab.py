"""A real browser on the real thing: JupyterLab from the project's venv on 127.0.0.1, the query chapter opened in headless
Chromium (Debian's package, driven by playwright), Run All; no cell may show an error, and the explorer must render and
answer its time slider and its search box. With PATCHNERV_EXPLORE=<run folder> (e.g. output/rd/size0.3) it also opens
that run in the explorer and takes the README's screenshot, figures/explorer.png.

Not part of `make test` (it needs Chromium, installed as root with apt): run it with `make test-browser`."""
import json, os, re, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get('PATCHNERV_BROWSER'), reason='browser test: run it with make test-browser')
ROOT = Path(__file__).resolve().parents[2]

def _free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _settings(root: Path, plugin: str, values: dict):
    path = root / 'settings' / '@jupyterlab' / plugin.split(':')[0]
    path.mkdir(parents=True, exist_ok=True)
    (path / f"{plugin.split(':')[1]}.jupyterlab-settings").write_text(json.dumps(values))

@pytest.fixture
def lab(tmp_path):
    "JupyterLab serving `tmp_path` (copies of notebooks: autosave never touches nbs/), its own workspace, every cell rendered, no news."
    _settings(tmp_path, 'notebook-extension:tracker', {'windowingMode': 'none'})
    _settings(tmp_path, 'apputils-extension:notification', {'fetchNews': 'false'})
    port, token = _free_port(), secrets.token_hex(8)
    env = {**os.environ, 'JUPYTERLAB_SETTINGS_DIR': str(tmp_path / 'settings'), 'JUPYTERLAB_WORKSPACES_DIR': str(tmp_path / 'workspaces'),
           'JUPYTER_RUNTIME_DIR': str(tmp_path / 'runtime')}
    log = open(tmp_path / 'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--allow-root',
                             f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={tmp_path}'], env=env, stdout=log, stderr=log)
    url = f'http://127.0.0.1:{port}'
    for _ in range(120):
        try: urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=1); break
        except OSError: time.sleep(0.5)
    else: proc.kill(); pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}")
    yield tmp_path, url, token
    proc.terminate(); proc.wait(20)

def run_all(page, url, token, name, timeout=600):
    "Open notebook `name`, Run All, wait until every code cell has run; fail if any output shows a traceback."
    page.goto(f'{url}/lab/tree/{name}?token={token}')
    notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)')                 # the open tab, not the ones behind it
    notebook.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=120_000)   # its kernel is up
    prompts, deadline = notebook.locator('.jp-CodeCell .jp-InputPrompt'), time.time() + timeout
    started = lambda texts: any(t.strip() != '[ ]:' for t in texts)
    for _ in range(3):                                                                # a Run All sent while the kernel connects is lost
        page.locator('.lm-MenuBar-item', has_text='Run').click()
        page.locator('.lm-Menu-itemLabel').get_by_text('Run All Cells', exact=True).click()
        for _ in range(30):
            if started(prompts.all_inner_texts()): break
            time.sleep(1)
        else: continue
        break
    done = lambda texts: all(re.fullmatch(r'\[\d+\]:', t.strip()) for t in texts)
    while not done(texts := prompts.all_inner_texts()):
        if time.time() > deadline:
            page.screenshot(path=str(ROOT / 'output' / 'browser_failure.png'))
            pytest.fail(f'{name} did not finish: prompts {texts} (screenshot: output/browser_failure.png)')
        time.sleep(2)
    errors = [o for o in notebook.locator('.jp-OutputArea-output').all_inner_texts() if 'Traceback' in o]
    assert not errors, f'a cell of {name} shows an error: {errors[0][-1500:]}'
    return notebook.locator('.jp-CodeCell').last.locator('.jp-OutputArea-output')   # the last cell's output

def check_explorer(page, explorer, top_k):
    "The explorer's image changes when its time slider moves; a search fills `top_k` thumbnails."
    explorer.locator('.widget-slider').first.wait_for(timeout=60_000)
    image = explorer.locator('.widget-image').first
    before = image.get_attribute('src')
    handle = explorer.locator('.noUi-handle').first
    handle.focus()
    for _ in range(8): handle.press('ArrowRight')
    page.wait_for_function('([el, src]) => el.getAttribute("src") !== src', arg=[image.element_handle(), before], timeout=30_000)
    assert 't = 0.0000' not in explorer.locator('.widget-html').first.inner_text()
    box = explorer.locator('.widget-text input')
    box.fill('a rabbit'); box.press('Enter')
    explorer.get_by_text('CLIP:').wait_for(timeout=120_000)
    assert explorer.locator('.widget-image').count() == 1 + top_k        # the strip and the thumbnails

def test_query_chapter_and_explorer(lab):
    sync_api = pytest.importorskip('playwright.sync_api')
    root, url, token = lab
    shutil.copy(ROOT / 'nbs' / '16_query.ipynb', root / 'query.ipynb')
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which('chromium') or '/usr/bin/chromium', args=['--no-sandbox'])
        page = browser.new_page(viewport={'width': 1500, 'height': 1100})
        explorer = run_all(page, url, token, 'query.ipynb')
        check_explorer(page, explorer, top_k=4)
        assert explorer.get_by_text('RANDOM-INIT CLIP').count() == 1     # the toy run's CLIP targets are random-init, and it says so
        if run := os.environ.get('PATCHNERV_EXPLORE'):
            nb = {'cells': [{'cell_type': 'code', 'execution_count': None, 'id': 'c0', 'metadata': {}, 'outputs': [],
                             'source': f"from patchnerv.query import Explorer\nExplorer({str(Path(run).resolve())!r})"}],
                  'metadata': {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}, 'nbformat': 4, 'nbformat_minor': 5}
            (root / 'explore.ipynb').write_text(json.dumps(nb))
            explorer = run_all(page, url, token, 'explore.ipynb')
            check_explorer(page, explorer, top_k=6)
            explorer.screenshot(path=str(ROOT / 'figures' / 'explorer.png'))
        browser.close()
