"""The committed SCO reference file is what scripts/derive_sco.py derives from the research
vendored in scripts/data/sco: the derivation runs on a clone with nothing beside it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _derive_sco():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("derive_sco", ROOT / "scripts" / "derive_sco.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_reference_file_is_derived_from_the_vendored_research():
    derive_sco = _derive_sco()
    assert derive_sco.RESEARCH.is_relative_to(ROOT)
    committed = (ROOT / "concord" / "reference" / "data" / "sco.yaml").read_text(encoding="utf-8")
    assert derive_sco.derive(derive_sco.RESEARCH) == committed


def test_state_names_that_differ_from_iso_codes_carry_their_sources():
    data = yaml.safe_load(
        (ROOT / "concord" / "reference" / "data" / "sco.yaml").read_text(encoding="utf-8")
    )
    states = {s["iso3"]: s for s in data["states"]}
    assert states["KGZ"]["names"] == {"en": "Kyrgyzstan", "ru": "Кыргызстан", "zh": "吉尔吉斯斯坦"}
    assert states["KHM"]["names"]["zh"] == "柬埔寨"
    assert states["MNG"]["names"]["zh"] == "蒙古国"
    for iso3, lang in (("KGZ", "ru"), ("KGZ", "zh"), ("KHM", "zh"), ("MNG", "zh")):
        assert states[iso3]["names_sources"][lang], (iso3, lang)
