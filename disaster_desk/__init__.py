"""Disaster Desk (災害情報デスク): an information desk for a city's disaster HQ."""

__version__ = "0.1.0"
