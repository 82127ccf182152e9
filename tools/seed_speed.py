"""Our training step against the seed's, at the same model, timed in turns (issue 29's speed item).

The seed is AlanjyHuang/HNeRV (`core/train_patch_dual.py`, `core/model_patch_dual.py`), the repository PatchNeRV grew from. Its code
is not part of PatchNeRV: pass a checkout of it. Its model file imports the seed's data and CLIP stack at the top (decord,
pytorchvideo, OpenAI's clip, timm); where one is not installed, an empty stand-in module is put in its place so that the model
classes import; the timed model uses none of them.

    python tools/seed_speed.py --seed_repo ../HNeRV [--run same_flags] [--steps 8] [--repeats 7]

Ours: the run `--run` of `nbs/experiments/seed_speed.yaml` (its config, 8 of its own batches, `patchnerv.step.train_step`). The seed's:
`DualHeadHNeRV` built from the same flags, and its step as `train_patch_dual.py` takes it inside the CLIP warm-up: forward, the
seed's `loss_fn`, backward, the norm of every parameter's gradient read back (`.item()`, as its logging does each step), Adam.
Both on the same batches, one thread, medians in turns (`patchnerv.bench.interleaved_medians`). Prints a table; writes
`figures/seed_speed_vs_seed.csv`."""
import argparse, importlib.util, sys, types
from pathlib import Path

import pandas as pd
import torch

from patchnerv.bench import _batches, _stepper, interleaved_medians
from patchnerv.model import param_counts
from patchnerv.run import Run
from patchnerv.sweep import load_sweep, sweep_run_config, sweep_runs

SWEEP = Path(__file__).resolve().parent.parent / 'nbs' / 'experiments' / 'seed_speed.yaml'
STAND_INS = {'decord': {}, 'clip': {}, 'pytorchvideo': {}, 'pytorchvideo.data': {}, 'pytorchvideo.data.encoded_video': {'EncodedVideo': None},
             'timm': {}, 'timm.models': {}, 'timm.models.layers': {'trunc_normal_': torch.nn.init.trunc_normal_, 'DropPath': torch.nn.Identity}}

def _import_file(name: str, path: Path):
    "The module at `path`, with an empty stand-in for each of `STAND_INS` that cannot be imported here."
    if not path.is_file(): raise FileNotFoundError(f"{path}: not found; --seed_repo must be a checkout of AlanjyHuang/HNeRV (core/{path.name})")
    for mod, names in STAND_INS.items():
        try: importlib.import_module(mod)
        except ImportError:
            stand_in = types.ModuleType(mod); stand_in.__dict__.update(names)
            if mod == 'decord': stand_in.bridge = types.SimpleNamespace(set_bridge=lambda *a: None)
            sys.modules[mod] = stand_in
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    return module

def seed_args(flags: dict) -> argparse.Namespace:
    "The seed's `args` for a run of ours (its `flags()`): the flags the seed's `DualHeadHNeRV` and `loss_fn` read (no norm layer: its default)."
    keys = ('embed', 'ks', 'num_blks', 'fc_dim', 'fc_hw', 'reduce', 'lower_width', 'act', 'out_bias', 'loss', 'lr')
    return argparse.Namespace(**{k: flags[k] for k in keys}, dec_strds=list(flags['dec_strds']), conv_type=list(flags['conv_type']),
                              norm='none', clip_dim=512)

def seed_code(seed_repo) -> tuple:
    "The seed's `(DualHeadHNeRV, loss_fn)`, from `core/` of a checkout of it."
    core = Path(seed_repo) / 'core'
    model_mod = _import_file('seed_model_patch_dual', core / 'model_patch_dual.py')
    return model_mod.DualHeadHNeRV, _import_file('seed_hnerv_utils', core / 'hnerv_utils.py').loss_fn

def seed_stepper(seed_code: tuple, args, batches: list) -> tuple:
    "`(run_steps, model)`: the seed's model and its Adam, and a function that takes the seed's training step on each of `batches`."
    model_class, loss_fn = seed_code
    model = model_class(args)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=0.)
    def run_steps():
        for b in batches:
            rgb, _, _, _ = model(b['input_coords'])
            loss = loss_fn(rgb, b['img'], args.loss)
            opt.zero_grad(); loss.backward()
            sum(p.grad.norm(2).item() ** 2 for p in model.parameters() if p.grad is not None)
            opt.step()
    return run_steps, model

def compare(seed_repo, run='same_flags', steps=8, repeats=7) -> pd.DataFrame:
    "Milliseconds per step and patches/s of our run `run` of the seed_speed sweep and of the seed's step on the same model and batches."
    torch.set_num_threads(1)
    code = seed_code(seed_repo)
    params = dict(sweep_runs(load_sweep(SWEEP)))
    if run not in params: raise ValueError(f"run {run!r} is not in {SWEEP.name}: one of {', '.join(params)}")
    r = Run.start(sweep_run_config(params[run], clip_pretrained='none'))
    c, ds = r.config, r.dataset('train')
    batches = _batches(c, ds, steps, 'cpu')
    ours, our_model = _stepper(c, batches, 'cpu', c.channels_last, data=ds)
    theirs, seed_model = seed_stepper(code, seed_args(c.flags()), batches)
    times = interleaved_medians({'patchnerv': ours, 'seed': theirs}, repeats, warmup=1)
    counts = {'patchnerv': param_counts(our_model)['total'], 'seed': sum(p.numel() for p in seed_model.parameters())}
    return pd.DataFrame([{'step': k, 'run': run, 'params': counts[k], 'step_ms': 1e3 * t / steps, 'patches_per_s': c.batchSize * steps / t}
                         for k, t in times.items()])

def main(argv=None):
    p = argparse.ArgumentParser(prog='seed_speed.py', description=__doc__.splitlines()[0])
    p.add_argument('--seed_repo', required=True, type=Path, help='a checkout of AlanjyHuang/HNeRV')
    p.add_argument('--run', default='same_flags', help='a run of nbs/experiments/seed_speed.yaml')
    p.add_argument('--steps', type=int, default=8); p.add_argument('--repeats', type=int, default=7)
    p.add_argument('--out', type=Path, default=Path('figures') / 'seed_speed_vs_seed.csv')
    a = p.parse_args(argv)
    try: table = compare(a.seed_repo, a.run, a.steps, a.repeats)
    except (ValueError, FileNotFoundError) as e: sys.exit(f"seed_speed.py: error: {e}")
    a.out.parent.mkdir(parents=True, exist_ok=True); table.to_csv(a.out, index=False)
    print(table.to_string(index=False))

if __name__ == '__main__': main()
