"""Keep the English catalogue complete: extract, fill from reviewed translations, compile.

    .venv/bin/python scripts/i18n.py            # extract + fill + compile, report what is missing
    .venv/bin/python scripts/i18n.py --check    # exit 1 if any message is untranslated or fuzzy

Translations for new messages are written by hand into ``src/redressal/locale/en/pending/*.json``
(``{"中文 msgid": "English"}``, or ``{"context|中文 msgid": "English"}`` for a ``pgettext`` message whose
context is ``context``, e.g. ``"action|合并"`` → "Merge" beside ``"event|合并"`` → "Merged"); this
script copies them into ``django.po`` and drops fuzzy guesses, which gettext's merge makes from similar
strings and which are wrong more often than right for Chinese.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "redressal"
LOCALE = PACKAGE / "locale" / "en"
PO = LOCALE / "LC_MESSAGES" / "django.po"
MANAGE = ROOT / ".venv" / "bin" / "redressal"


def extract() -> None:
    subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [str(MANAGE), "makemessages", "-l", "en", "--no-obsolete", "--no-location", "-i", "*/migrations/*"],
        cwd=PACKAGE,
        check=True,
    )


def pending() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALE / "pending").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def key(context: str | None, msgid: str) -> str:
    """The pending-JSON key of a message: ``msgid``, or ``context|msgid`` for a contextual one."""
    return f"{context}|{msgid}" if context else msgid


def fill(po: polib.POFile, translations: dict[str, str]) -> None:
    for entry in po:
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
            entry.previous_msgid = None
            entry.previous_msgctxt = None
            entry.previous_msgid_plural = None
        english = translations.get(key(entry.msgctxt, entry.msgid))
        if english is None:
            continue
        if entry.msgid_plural:
            plural = translations.get(entry.msgid_plural, english)
            if not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: english, 1: plural}
        elif not entry.msgstr:
            entry.msgstr = english


def missing(po: polib.POFile) -> list[str]:
    out = []
    for entry in po:
        done = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not done or entry.fuzzy:
            out.append(entry.msgid)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is missing")
    args = parser.parse_args()
    if not args.check:
        extract()
    po = polib.pofile(str(PO))
    if not args.check:
        fill(po, pending())
        po.save()
        subprocess.run([str(MANAGE), "compilemessages", "-l", "en"], cwd=PACKAGE, check=True)  # noqa: S603
    gaps = missing(po)
    for msgid in gaps:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    print(f"{len(po)} messages, {len(gaps)} untranslated")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
