"""Every notebook in nbs/ runs top to bottom, and patchnerv/ is what nbdev_export makes of them.

Plain `nbdev_test` skips the cells flagged `slow` (resume after a kill, DDP) and `gpu`; this suite runs the slow ones
too (a few minutes on 2 cores) and the gpu ones where CUDA is present."""
import filecmp, shutil, subprocess, sys
from pathlib import Path

import pytest
import torch
from nbdev.config import get_config
from nbdev.test import test_nb as run_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook(nb):
    skip = [f for f in get_config(path=ROOT).tst_flags.split() if f != 'slow' and not (f == 'gpu' and torch.cuda.is_available())]
    ok, _ = run_notebook(nb, skip_flags=skip)
    assert ok, f"{nb.name} failed: its traceback is in the captured stderr above"

def test_package_in_sync_with_notebooks(tmp_path):
    for name in ('settings.ini', 'nbs', 'patchnerv'):
        src = ROOT / name
        shutil.copytree(src, tmp_path / name) if src.is_dir() else shutil.copy(src, tmp_path / name)
    subprocess.run([Path(sys.executable).parent / 'nbdev_export'], cwd=tmp_path, check=True)
    cmp = filecmp.dircmp(ROOT / 'patchnerv', tmp_path / 'patchnerv', ignore=['__pycache__'])
    stale = cmp.diff_files + cmp.left_only + cmp.right_only
    assert not stale, f"nbdev_export changes {stale}: export the notebooks (make export) and commit patchnerv/"

SKIPPED_BY_TESTS = [nb for nb in NOTEBOOKS if '#| eval: false' in nb.read_text()]

@pytest.mark.parametrize('nb', SKIPPED_BY_TESTS, ids=lambda p: p.stem)
def test_cells_tests_skip_run_in_a_kernel(nb, tmp_path):
    """What nbdev_test skips (`#| eval: false`) and a reader's Run All does not: in a real Jupyter kernel, on a checkout without finished sweeps,
    each such cell, after the chapter's definitions and imports, runs without an error (a cell that needs a finished sweep says so and skips)."""
    import nbformat
    from nbclient import NotebookClient
    cells = nbformat.read(nb, as_version=4).cells
    source = lambda c: ''.join(c.source)
    imports = lambda c: all(l.startswith(('import ', 'from ')) or not l.strip() for l in source(c).splitlines())
    keep = [c for c in cells if c.cell_type == 'code' and (source(c).startswith(('#| export', '#| eval: false')) or imports(c))]
    runnable = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source(c)) for c in keep])
    NotebookClient(runnable, kernel_name='python3', timeout=600, resources={'metadata': {'path': str(tmp_path)}}).execute()
    outputs = [o for c in runnable.cells for o in c.get('outputs', [])]
    assert not [o for o in outputs if o.output_type == 'error'], f"{nb.name}: a cell raised in a real kernel"
