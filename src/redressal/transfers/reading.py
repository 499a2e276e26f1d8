"""Reading a regulator's list: the mappings (shipped, and the bank's own directory) and the file
(XLSX read-only, or CSV in UTF-8 with or without BOM, else GB18030 as Excel in China writes it)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from django.conf import settings

from redressal.core.errors import ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.transfers import TransferMapping, parse_mapping

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


def _parse(text: str, source: str) -> TransferMapping:
    try:
        return parse_mapping(yaml.safe_load(text), source=source)
    except yaml.YAMLError as exc:
        raise ValidationFailed("mapping_invalid", f"{source}: not valid YAML ({exc})", field="regulator") from None
    except DomainError as exc:
        raise ValidationFailed("mapping_invalid", exc.message, field="regulator") from None


@cache
def _shipped() -> dict[str, TransferMapping]:
    out: dict[str, TransferMapping] = {}
    folder = resources.files("redressal.transfers").joinpath("data/mappings")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            m = _parse(entry.read_text(encoding="utf-8"), entry.name)
            out[m.key] = m
    return out


def mappings() -> dict[str, TransferMapping]:
    """Every mapping by key: the shipped ones, overridden by the bank's own (``REDRESSAL_TRANSFER_MAPPINGS``,
    a folder of *.yaml) with the same key."""
    out = dict(_shipped())
    folder = getattr(settings, "TRANSFER_MAPPINGS", "")
    if folder:
        path = Path(folder)
        if not path.is_dir():
            raise ValidationFailed(
                "mapping_invalid", f"REDRESSAL_TRANSFER_MAPPINGS is no folder: {folder}", field="regulator"
            )
        for file in sorted(path.glob("*.yaml")):
            m = _parse(file.read_text(encoding="utf-8"), file.name)
            out[m.key] = m
    return out


def mapping(key: str) -> TransferMapping:
    found = mappings().get(key)
    if found is None:
        raise ValidationFailed(
            "unknown_regulator_mapping",
            f"no transfer-list mapping '{key}' (known: {', '.join(sorted(mappings()))})",
            field="regulator",
        )
    return found


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """The header row and the data rows (spreadsheet row number, header → value) of an XLSX or CSV file.
    Blank rows are skipped. Anything else is refused naming the file."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed("file_too_large", "the file exceeds 10 MB", field="file")
    name = filename.lower()
    if name.endswith(".xlsx"):
        matrix = _xlsx(content)
    elif name.endswith(".csv"):
        matrix = _csv(content)
    else:
        raise ValidationFailed("file_type", "the list must be an .xlsx or .csv file", field="file")
    if not matrix:
        raise ValidationFailed("file_empty", "the file has no header row", field="file")
    headers = [str(h).strip() if h is not None else "" for h in matrix[0]]
    rows: list[tuple[int, dict[str, object]]] = []
    for number, values in enumerate(matrix[1:], start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
        if len(rows) > MAX_ROWS:
            raise ValidationFailed("file_too_many_rows", f"at most {MAX_ROWS} rows per file", field="file")
    return headers, rows


def _xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a corrupt or renamed file: openpyxl raises many kinds
        raise ValidationFailed("file_unreadable", "the file is not a readable XLSX workbook", field="file") from None
    try:
        sheet = book.worksheets[0]
        out: list[list[object]] = []
        for values in sheet.iter_rows(values_only=True):
            out.append(list(values))
            if len(out) > MAX_ROWS + 1:
                raise ValidationFailed("file_too_many_rows", f"at most {MAX_ROWS} rows per file", field="file")
        return out
    finally:
        book.close()


def _csv(content: bytes) -> list[list[object]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationFailed("file_encoding", "the CSV file is neither UTF-8 nor GB18030", field="file") from None
    try:
        return [list(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise ValidationFailed("file_unreadable", "the CSV file cannot be read", field="file") from None
