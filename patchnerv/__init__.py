__version__ = "0.1.0"

from .grid import PatchGrid
from .frames import Frames, open_source
