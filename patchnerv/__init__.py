__version__ = "0.1.0"

from .grid import PatchGrid
from .frames import Frames, open_source
from .clip import CLIPManager
from .data import PatchVideoDataSet
from .model import DualHeadHNeRV, ModelConfig
from .config import RunConfig, parse_args
from .run import RunDir, open_run
