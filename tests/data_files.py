"""Where the tests find public data: vendored in tests/data or shipped in the area pack.

Nothing here is optional: a missing file is a failure naming the file, never a skip
(a clone of the repository is all the tests need).
"""

from __future__ import annotations

from pathlib import Path

from disaster_desk.core.area_pack import load_pack

DATA = Path(__file__).resolve().parent / "data"


def data_file(*parts: str) -> Path:
    """A vendored file or folder under tests/data; fails loudly when it is missing."""
    path = DATA.joinpath(*parts)
    assert path.exists(), f"test data missing: {path} (vendored with the repository; see its SOURCE.md)"
    return path


def pack_file(role: str) -> Path:
    """A file of the Osaka City area pack (resources/areas/osaka-city)."""
    return load_pack().path(role)


CAP_XSD = data_file("cap-1.2", "CAP-v1.2.xsd")
SIP4D_TEMPLATES = data_file("sip4d-zip-templates", "template")
GEOLONIA_JSON = data_file("geolonia-osaka")
TOWNS_CSV = pack_file("towns")
HINANJO = pack_file("shelters")
KINKYU = pack_file("evacuation_sites")
