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
