"""Qt-free drill scenarios, replay engine, metrics and after-action report."""
