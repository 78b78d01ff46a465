"""Where the shared corpus of real invoices lives, and its expected values."""

import json
from pathlib import Path

# CI clones the repository beside ../shared, as the checkout here sits beside it.
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "invoices"


def expected_of(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
