"""Benchmarks (not tests): ``make bench`` or ``python -m bench [NAME ...]``.

Each module ``bench/<name>.py`` has ``main() -> None`` that measures its
subject and a baseline in the same run and prints the ratio (machines here
are shared and noisy). Figures go to ``bench/README.md`` with date and machine.
"""
