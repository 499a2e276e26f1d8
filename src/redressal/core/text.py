"""Text normalisation and Chinese word segmentation, shared by search and triage.

Indexing and querying must use the same normalisation and the same dictionary, or a query
stops matching what was indexed; hence one module that both go through.

- NFKC folds full-width letters and digits (ＡＴＭ, １２３) to their ASCII forms.
- Traditional characters are converted to simplified (OpenCC ``t2s``), so 年費 finds 年费.
- Segmentation is jieba's algorithm and dictionary through ``rjieba`` (the Rust port: the same
  tokens, no dictionary build at start-up, about 18× faster than pure-Python jieba).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
import rjieba

_WORD = re.compile(r"\w", re.UNICODE)
# Han characters (CJK Unified Ideographs, Extension A, Compatibility): one class for every module
# that tells Chinese from other text.
CJK_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
CJK = re.compile(CJK_CLASS)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC, traditional → simplified, lower case, runs of white space collapsed."""
    folded = unicodedata.normalize("NFKC", text or "")
    simplified = _converter().convert(folded) if CJK.search(folded) else folded
    return " ".join(simplified.lower().split())


def _keep(token: str) -> bool:
    return bool(token.strip()) and bool(_WORD.search(token))


def words(text: str) -> list[str]:
    """Words of a normalised query or document: ``信用卡年费`` → ``[信用卡, 年费]``."""
    return [t for t in rjieba.cut(normalize(text)) if _keep(t)]


def index_words(text: str) -> list[str]:
    """Words for an index: long words also yield their parts (理财产品 → 理财, 产品, 理财产品),
    so a query for the part finds the whole."""
    return [t for t in rjieba.cut_for_search(normalize(text)) if _keep(t)]


def warm_up() -> None:
    """Load the converter and the dictionary now rather than on the first request."""
    words("银行卡年费 warm up")
