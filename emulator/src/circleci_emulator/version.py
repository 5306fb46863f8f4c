"""The package version (its own module: the admin API answers it, and the package imports the admin API)."""

__version__ = "0.1.0"
