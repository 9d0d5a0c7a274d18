"""Vendored third-party files are the published ones, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

AXE = Path(__file__).resolve().parent / "_vendor" / "axe-core"
AXE_VERSION = "4.14.1"
# sha256 of axe.min.js in the npm package axe-core@4.14.1 (also in tests/_vendor/axe-core/README.md)
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"


def test_vendored_axe_core_is_the_published_file():
    digest = hashlib.sha256((AXE / "axe.min.js").read_bytes()).hexdigest()
    assert digest == AXE_SHA256, (
        f"tests/_vendor/axe-core/axe.min.js has sha256 {digest}, not that of axe-core {AXE_VERSION}'s "
        "axe.min.js: re-copy it from `npm pack axe-core@VERSION` (see the README there)"
    )


def test_vendored_axe_core_banner_version_matches_readme():
    banner = (AXE / "axe.min.js").read_text(encoding="utf-8")[:40]
    readme = (AXE / "README.md").read_text(encoding="utf-8")
    assert f"axe v{AXE_VERSION}" in banner, f"axe.min.js is not version {AXE_VERSION}: {banner!r}"
    assert AXE_SHA256 in readme and AXE_VERSION in readme, "the README's version or sha256 is out of date"


def test_vendored_axe_core_ships_its_licences():
    assert "Mozilla Public License" in (AXE / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in (AXE / "LICENSE-3RD-PARTY.txt").read_text(encoding="utf-8")
