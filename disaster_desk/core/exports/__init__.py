"""Exports of the desk's data: CAP 1.2, GeoJSON, CSV, SIP4D-ZIP (and the privacy rules they share).

Every export reads one scope (real, or drill data of one/all runs) through
:func:`disaster_desk.core.modes.mode_filter`, so real exports never contain
drill data and drill exports never contain real data.
"""

from __future__ import annotations

FORMATS = ("cap", "geojson", "csv", "sip4d")
