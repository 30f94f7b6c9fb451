"""Qt-free SNS and feed collectors, and their scheduling (APScheduler)."""
