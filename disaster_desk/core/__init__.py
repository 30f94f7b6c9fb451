"""Qt-free domain: models, database, services, settings, clock."""
