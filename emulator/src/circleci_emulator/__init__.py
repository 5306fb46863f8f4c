"""circleci-emulator: a faithful local CircleCI API v2."""

__version__ = "0.1.0"

from .app import create_app  # noqa: E402
from .server import Emulator  # noqa: E402

__all__ = ["Emulator", "create_app", "__version__"]
