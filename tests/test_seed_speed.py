"""tools/seed_speed.py, our training step against the seed's: run on a hand-made seed checkout (the real one is not on CI machines),
whose model file imports the seed's data and CLIP stack as the real one does, so the stand-ins are exercised."""
import subprocess, sys, textwrap
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / 'tools' / 'seed_speed.py'

MODEL = '''
import decord, clip
from pytorchvideo.data.encoded_video import EncodedVideo
from timm.models.layers import trunc_normal_, DropPath
import torch, torch.nn as nn
decord.bridge.set_bridge('torch')

class DualHeadHNeRV(nn.Module):
    "A stand-in of the seed's model: (t, x, y) -> an RGB patch of prod(dec_strds) pixels a side, built from the same flags."
    def __init__(self, args):
        super().__init__()
        self.side = 1
        for s in args.dec_strds: self.side *= s
        self.fc = nn.Linear(3, 3 * self.side ** 2)
    def forward(self, coords):
        rgb = self.fc(coords).view(-1, 3, self.side, self.side)
        return rgb, None, [], 0.0
'''
UTILS = '''
import torch.nn.functional as F
def loss_fn(pred, target, loss_type='L2', batch_average=True):
    assert loss_type == 'L1'
    return F.l1_loss(pred, target)
'''

def seed_checkout(root: Path) -> Path:
    (root / 'core').mkdir(parents=True)
    (root / 'core' / 'model_patch_dual.py').write_text(textwrap.dedent(MODEL))
    (root / 'core' / 'hnerv_utils.py').write_text(textwrap.dedent(UTILS))
    return root

def test_seed_speed_times_both_steps_on_the_same_batches(tmp_path):
    out = tmp_path / 'speed.csv'
    res = subprocess.run([sys.executable, TOOL, '--seed_repo', seed_checkout(tmp_path / 'seed'), '--steps', '2', '--repeats', '1', '--out', out],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(out)
    assert list(table.step) == ['patchnerv', 'seed'] and set(table.run) == {'same_flags'}
    assert table.loc[1, 'params'] == 3 * 3 * 80 * 80 + 3 * 80 * 80          # the stand-in, built from the run's strides 5 2 2 2 2
    assert table.loc[0, 'params'] == 276014                                  # ours at the seed's flags: the seed's model, parameter for parameter
    assert (table.step_ms > 0).all() and (table.patches_per_s - 8 * 1e3 / table.step_ms).abs().max() < 1e-6 * table.patches_per_s.max()
    assert 'patchnerv' in res.stdout and 'seed' in res.stdout

def test_seed_speed_bad_inputs_say_what_is_wrong(tmp_path):
    res = subprocess.run([sys.executable, TOOL, '--seed_repo', tmp_path], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode != 0 and 'core/model_patch_dual.py' in res.stderr and 'AlanjyHuang/HNeRV' in res.stderr
    res = subprocess.run([sys.executable, TOOL, '--seed_repo', seed_checkout(tmp_path / 'seed'), '--run', 'nope'], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode != 0 and "run 'nope' is not in seed_speed.yaml" in res.stderr and 'same_flags' in res.stderr
