"""The documentation site (`make docs`, tools/docs.py): first its rules on a toy chapter (seconds), then the real build of every chapter
(it executes them all again, minutes: CI builds the site here, as `make test`'s part)."""
import importlib.util, json, re, shutil
from pathlib import Path

import nbformat
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('docs', ROOT / 'tools' / 'docs.py')
docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(docs)

def page_text(site: Path, name: str) -> str: return (site / name / 'index.html').read_text()

def search_entries(site: Path) -> list: return json.loads((site / 'search' / 'search_index.json').read_text())['docs']

def toy_repo(root: Path) -> Path:
    "A repository of one chapter that uses every rule, a README with a figure, and the real mkdocs.yml."
    cell = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('# Toy chapter\n\n> One of each kind of cell.'),
        cell('#| default_exp toy'),
        cell('#| export\ndef toy_area(h: int, w: int) -> int:\n    "The area of an `h × w` rectangle."\n    return h * w'),
        cell('#| hide\nmarker = toy_area(2, 3)  # not on the page'),
        cell('import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0]);'),
        cell('import ipywidgets\nipywidgets.IntSlider()'),
        cell('#| eval: false\nprint("eval false ran")'),
        cell('#| slow\nprint("slow ran", marker)'),
        cell('#| gpu\nprint("gpu ran")'),
        cell('import nbdev; nbdev.nbdev_export()')])                                   # would fail here: no settings.ini
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    (root / 'nbs').mkdir(parents=True)
    nbformat.write(nb, root / 'nbs' / '00_toy.ipynb')
    (root / 'nbs' / 'index.ipynb').write_text('{}')                                  # the README's source: not a chapter
    (root / 'figures').mkdir()
    shutil.copy(ROOT / 'figures' / 'bunny_grid.png', root / 'figures')
    (root / 'README.md').write_text('# Toy\n\nThe chapter `00_toy`.\n\n![a figure](figures/bunny_grid.png)\n')
    shutil.copy(ROOT / 'mkdocs.yml', root)
    return root

def test_chapter_page_rules(tmp_path):
    site = docs.build(toy_repo(tmp_path / 'repo'), tmp_path / 'site', tmp_path / 'work', jobs=1)
    pages = sorted(p.parent.name for p in site.glob('*/index.html'))
    assert pages == ['00_toy'], pages
    toy = page_text(site, '00_toy')
    assert '<h3 id="toy_area">toy_area' in toy and 'The area of an' in toy          # its API entry, after the exported cell
    assert 'show_doc' not in toy                                                       # ... without its input cell
    assert '#|' not in toy and 'not on the page' not in toy                            # directives stripped, the hidden cell not shown
    printed = lambda text: f'<pre>{text}\n</pre>' in toy                               # a cell's printed output
    assert printed('slow ran 6')                                                       # ... but run
    assert '"eval false ran"' in toy and not printed('eval false ran')                 # shown, not run
    assert '"gpu ran"' in toy and printed('gpu ran') == torch.cuda.is_available()      # gpu cells run only with CUDA
    assert 'data:image/png;base64,' in toy                                             # the figure
    assert 'An interactive widget' in toy and 'html-manager' not in toy               # a widget: a note, no widget manager from a CDN
    home = (site / 'index.html').read_text()
    assert '<a href="00_toy/"><code>00_toy</code></a>' in home and (site / 'figures' / 'bunny_grid.png').exists()

def test_a_failing_chapter_names_itself(tmp_path):
    root = toy_repo(tmp_path / 'repo')
    nb = nbformat.read(root / 'nbs' / '00_toy.ipynb', 4)
    nb.cells.append(nbformat.v4.new_code_cell('1 / 0'))
    nbformat.write(nb, root / 'nbs' / '01_broken.ipynb')
    with pytest.raises(RuntimeError, match=r'01_broken.ipynb failed while building the docs(.|\n)*ZeroDivisionError'):
        docs.build(root, tmp_path / 'site', tmp_path / 'work', jobs=1)

def model_chapter(root: Path) -> str:
    "The chapter that exports `patchnerv.model`."
    names = [p.stem for p in docs.chapters(root) if re.search(r'#\|\s*default_exp\s+model\b', p.read_text())]
    assert len(names) == 1, f'one chapter should export patchnerv.model, found {names}'
    return names[0]

def test_site_of_every_chapter(tmp_path):
    site = docs.build(ROOT, ROOT / '_site', tmp_path / 'work')     # where `make docs` puts it: `make test-browser` then opens this build
    chapters = [p.stem for p in docs.chapters(ROOT)]
    assert sorted(p.parent.name for p in site.glob('*/index.html')) == chapters        # one page per chapter, no other
    home, readme = (site / 'index.html').read_text(), (ROOT / 'README.md').read_text()
    assert readme.splitlines()[0].lstrip('# ') in home
    for fig in re.findall(r'\]\((figures/[^)]+)\)', readme):                           # the README's figures resolve on the site
        assert (site / fig).exists() and f'src="{fig}"' in home, fig
    model = model_chapter(ROOT)
    found = {e['location'].split('/')[0] for e in search_entries(site) if 'DualHeadHNeRV' in e['text']}
    assert model in found, f'searching DualHeadHNeRV does not find {model}: {sorted(found)}'
    assert '<h3 id="dualheadhnerv">DualHeadHNeRV' in page_text(site, model)       # its API entry
    figures = [c for c in chapters if 'data:image/png;base64,' in page_text(site, c)]
    assert figures, 'no chapter page shows a figure'
    assert not [c for c in chapters if '#|' in page_text(site, c)], 'a page shows nbdev directives'
