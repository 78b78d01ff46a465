"""Locates the templates and configuration shipped with the gateway."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """Return the folder `templates` or `config`, installed or in a source checkout.

    A wheel carries both folders under `gateway/_data/`; an editable install or a plain
    checkout reads them from the top of the repository.
    """
    packaged = PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return SOURCE_ROOT / name
