"""The bank synonym list (``synonyms.yaml``): spellings of one meaning folded to the first, so a
customer's 他行/入账/掌上银行 finds a standard question written with 跨行/到账/手机银行."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml


@cache
def groups() -> tuple[tuple[str, ...], ...]:
    raw = yaml.safe_load(resources.files("redressal.domain.triage").joinpath("synonyms.yaml").read_text("utf-8"))
    return tuple(tuple(str(w).lower() for w in g) for g in raw["groups"] if len(g) >= 2)


@cache
def _table(spec: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for group in spec:
        for word in group[1:]:
            mapping.setdefault(word, group[0])
    alternatives = "|".join(re.escape(w) for w in sorted(mapping, key=len, reverse=True))
    return re.compile(alternatives or r"(?!)"), mapping


def canonical(text: str, spec: tuple[tuple[str, ...], ...] | None = None) -> str:
    """``text`` (already folded to lower case) with every listed spelling replaced by its group's first."""
    pattern, mapping = _table(spec if spec is not None else groups())
    return pattern.sub(lambda m: mapping[m.group(0)], text)
