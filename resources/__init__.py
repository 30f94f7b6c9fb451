"""Data shipped with the app: gazetteer, lexicon, map assets, translations.

:func:`path` is the one way to find a resource, in a checkout or installed.
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def path(*parts: str) -> Path:
    """Filesystem path of a shipped resource, e.g. ``path("gazetteer", "wards.yaml")``."""
    return Path(str(_resources.files(__name__).joinpath(*parts)))
