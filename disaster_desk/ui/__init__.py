"""PySide6 adapter over the Qt-free core: the only package that imports Qt.

Importing this package applies :func:`keep_none_alive` first (see there).
"""

from __future__ import annotations

import sys

#: Added to None's reference count: more than any process will ever drop.
_NONE_MARGIN = 1 << 40


def keep_none_alive() -> bool:
    """Work around PySide6 6.12 on CPython < 3.12 dropping a reference to ``None``.

    Every call of a ``void`` Qt method from Python (``widget.update()``,
    ``processEvents()``, …) returns ``None`` without the ``Py_INCREF`` that
    Python 3.11 still needs (3.12 made ``None`` immortal, PEP 683). After a few
    thousand calls the count reaches zero and the interpreter aborts with
    ``Fatal Python error: none_dealloc``. Giving ``None`` a huge reference count
    makes it as immortal as it is on 3.12. Returns True when applied.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if refcount.value < _NONE_MARGIN:
        refcount.value += _NONE_MARGIN
    return True


keep_none_alive()
