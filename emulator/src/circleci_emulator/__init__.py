"""circleci-emulator: a faithful local CircleCI API v2."""

from .app import create_app
from .server import Emulator
from .version import __version__

__all__ = ["Emulator", "create_app", "__version__"]
