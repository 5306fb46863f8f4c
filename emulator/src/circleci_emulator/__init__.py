"""circleci-emulator: a faithful local CircleCI API v2."""

from .app import create_app
from .server import Emulator, EmulatorProcess
from .version import __version__

__all__ = ["Emulator", "EmulatorProcess", "create_app", "__version__"]
