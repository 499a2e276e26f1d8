"""JR/T 0169—2018 complaint classification tables: A channel, B business, C cause (SPEC §6).

The standard classifies along three axes, each hierarchical (major → middle → minor) with "other" as
9/99. Until the official code strings are loaded, the project's provisional codes are used; every
table is a versioned CSV file in this package, and the version used is stored with each suggestion
and confirmation so a later table never silently re-labels an old case.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

CURRENT_VERSION = "provisional-1"
AXES = {"A": "channel", "B": "business", "C": "cause"}


@dataclass(frozen=True)
class Code:
    axis: str  # "A", "B" or "C"
    code: str
    parent: str
    zh: str
    en: str

    def label(self, language: str = "zh-hans") -> str:
        return self.en if language.startswith("en") else self.zh


@dataclass(frozen=True)
class CodeTable:
    version: str
    codes: dict[str, Code]

    def axis(self, axis: str) -> list[Code]:
        return [c for c in self.codes.values() if c.axis == axis]

    def leaves(self, axis: str) -> list[Code]:
        """The most specific codes of an axis: what a case is classified with."""
        parents = {c.parent for c in self.codes.values() if c.parent}
        return [c for c in self.axis(axis) if c.code not in parents]

    def get(self, code: str) -> Code | None:
        return self.codes.get(code)

    def is_valid(self, axis: str, code: str) -> bool:
        found = self.codes.get(code)
        return found is not None and found.axis == axis


@cache
def load_codes(version: str = CURRENT_VERSION) -> CodeTable:
    name = f"jrt0169-{version}.csv"
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    codes = {row["code"]: Code(row["axis"], row["code"], row["parent"], row["zh"], row["en"])
             for row in csv.DictReader(text.splitlines())}
    return CodeTable(version, codes)
