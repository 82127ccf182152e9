"""The user's original command line: `python train_patch_dual.py --data_path ... --outf ...` (HNeRV's flags) is `patchnerv-train`."""
from patchnerv.train import main

if __name__ == '__main__': main()
