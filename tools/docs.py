"""The documentation site: every chapter (`nbs/[0-9]*.ipynb`) run top to bottom in a Jupyter kernel, then built by mkdocs-material
with mkdocs-jupyter; README.md is its home page. `make docs` runs it. (`nbdev_docs` builds nbdev's own site where Quarto is installed;
Quarto cannot be installed on these machines.)

    python tools/docs.py [--site _site] [--work _proc/docs] [--jobs 2]

What a chapter page shows follows nbdev's site: `#| hide` cells run but are not shown, directive lines are stripped, and each exported
function or class gets its API entry (nbdev's `show_doc`: signature and docstring) after the cell that defines it. `#| slow` cells run
(as in `make test`), `#| gpu` cells only where CUDA is present; `#| eval: false` cells are shown and not run, as on nbdev's site (they
measure finished sweeps in output/, which differ from checkout to checkout), nor are cells that call `nbdev_export()` (as in nbdev_test).
The kernel runs in nbs/, as nbdev_test does, and imports this checkout's `patchnerv`."""
import argparse, logging, os, re, shutil, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from execnb.nbio import nb2str
from nbclient import NotebookClient
from nbdev.process import NBProcessor, extract_directives
from nbdev.processors import add_show_docs

ROOT = Path(__file__).resolve().parents[1]
HIDE, NO_INPUT, NO_RUN = 'remove_cell', 'remove_input', 'skip-execution'   # the tags mkdocs.yml and nbclient act on

def chapters(root: Path) -> list:
    "The chapter notebooks, in order: `nbs/` files whose names start with a digit."
    return sorted((root / 'nbs').glob('[0-9]*.ipynb'))

def _directives(cell) -> dict:
    return extract_directives(cell, remove=False) if cell.cell_type == 'code' else {}

def _tags(cell, directives: dict, cuda: bool) -> set:
    "What the kernel and the page do with a cell."
    code = _strip_directives(cell.source) if cell.cell_type == 'code' else cell.source
    tags = set()
    if 'hide' in directives or (cell.cell_type == 'code' and not code.strip()): tags.add(HIDE)
    if re.match(r'show_doc\(', code): tags.add(NO_INPUT)
    no_eval = directives.get('eval:', [''])[0].lower() == 'false'
    if no_eval or 'nbdev_export(' in code or ('gpu' in directives and not cuda): tags.add(NO_RUN)
    return tags

def prepare(path: Path, cuda: bool) -> nbformat.NotebookNode:
    "The chapter with nbdev's API entries added and each cell tagged for the kernel and the page."
    proc = NBProcessor(path, [add_show_docs], rm_directives=False)
    proc.process()
    for cell in proc.nb.cells: cell.pop('has_sd', None)           # add_show_docs' mark on the cells it made
    nb = nbformat.reads(nb2str(proc.nb), as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell('from nbdev.showdoc import show_doc', metadata={'tags': [HIDE]}))
    for cell in nb.cells:
        cell.metadata['tags'] = sorted(set(cell.metadata.get('tags', [])) | _tags(cell, _directives(cell), cuda))
    return nb

def _strip_directives(source: str) -> str:
    "`source` without its leading `#|` lines."
    lines = source.splitlines(True)
    while lines and re.match(r'\s*(#\|.*)?$', lines[0]): lines.pop(0)
    return ''.join(lines)

def finish(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    "The executed chapter as the page shows it: directives stripped, widgets as a note."
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        cell.source = _strip_directives(cell.source)
        for out in cell.outputs:
            if out.get('data', {}).pop('application/vnd.jupyter.widget-view+json', None):
                out.data = {'text/markdown': '*An interactive widget: run this chapter in Jupyter to use it.*'}
    nb.metadata.pop('widgets', None)                               # its state would load the widget manager from a CDN
    return nb

_ANSI = re.compile(r'\x1b\[[0-9;]*m')                             # the colours of a traceback

def run_chapter(path: Path, nb: nbformat.NotebookNode, out_dir: Path, root: Path) -> tuple:
    "Execute chapter `path`, `prepare`d as `nb`, in a fresh kernel in nbs/ and write its page source to `out_dir`; (name, seconds)."
    start = time.time()
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(filter(None, [str(root), os.environ.get('PYTHONPATH')]))}
    client = NotebookClient(nb, kernel_name='python3', timeout=1800, extra_arguments=['--log-level=ERROR'],
                            resources={'metadata': {'path': str(root / 'nbs')}})
    try: client.execute(env=env)
    except Exception as e: raise RuntimeError(f'{path.name} failed while building the docs:\n{_ANSI.sub("", str(e))}') from None
    nbformat.write(finish(nb), out_dir / path.name)
    return path.name, time.time() - start

def home_page(root: Path, names: list) -> str:
    "README.md, with the chapter names it mentions (`03_model`) linked to their pages."
    text = (root / 'README.md').read_text()
    return re.sub(r'`(\w+)`', lambda m: f'[`{m[1]}`]({m[1]}.ipynb)' if m[1] in names else m[0], text)

def build(root: Path = ROOT, site: Path = None, work: Path = None, jobs: int = 2) -> Path:
    "Execute every chapter into `work`, add the home page and figures, and build the site into `site`; returns `site`."
    import mkdocs.commands.build, mkdocs.config, torch, yaml
    conf = yaml.safe_load((root / 'mkdocs.yml').read_text())        # the defaults: its docs_dir and site_dir
    site, work = Path(site or root / conf['site_dir']), Path(work or root / conf['docs_dir'])
    paths = chapters(root)
    if not paths: raise FileNotFoundError(f'no chapters (nbs/[0-9]*.ipynb) under {root}')
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / 'index.md').write_text(home_page(root, [p.stem for p in paths]))
    shutil.copytree(root / 'figures', work / 'figures')
    cuda = torch.cuda.is_available()
    prepared = [(p, prepare(p, cuda)) for p in paths]             # one at a time: nbdev parses cells with `ast`, not thread-safe in Python 3.11
    pool = ThreadPoolExecutor(jobs)                                # the work is in the kernels, each its own process
    try:
        for name, secs in pool.map(lambda pn: run_chapter(*pn, work, root), prepared): print(f'{name}: {secs:.0f} s', flush=True)
    finally: pool.shutdown(cancel_futures=True)                    # after a failure, no chapter starts
    config = mkdocs.config.load_config(str(root / 'mkdocs.yml'), docs_dir=str(work), site_dir=str(site))
    mkdocs.commands.build.build(config)
    return site

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--site', type=Path, help="where the site goes (default: mkdocs.yml's site_dir, _site)")
    p.add_argument('--work', type=Path, help="where the executed chapters go, emptied first (default: mkdocs.yml's docs_dir, _proc/docs)")
    p.add_argument('--jobs', type=int, default=2, help='chapters executed at once')
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(name)s: %(message)s')   # mkdocs' warnings (broken links)
    start = time.time()
    print(f'site: {build(ROOT, a.site, a.work, a.jobs)} ({time.time() - start:.0f} s)')
