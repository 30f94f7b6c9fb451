"""PySide6 adapter over the Qt-free core: the only package that imports Qt."""
