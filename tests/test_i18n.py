"""The English catalogue is complete: no message without a translation, no fuzzy guess."""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/redressal/locale/en/LC_MESSAGES/django.po"


def test_every_message_has_an_english_translation() -> None:
    po = polib.pofile(str(PO))
    assert len(po) > 100
    def done(e: polib.POEntry) -> bool:
        return all(e.msgstr_plural.values()) if e.msgid_plural else bool(e.msgstr)

    untranslated = [e.msgid for e in po if e.fuzzy or not done(e)]
    assert untranslated == []


def test_compiled_catalogue_is_current() -> None:
    mo = PO.with_suffix(".mo")
    compiled = polib.mofile(str(mo))
    # Keyed by context and msgid: "合并" is one message as a button ("action") and another as an event.
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.msgid_plural}
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural and e.msgid} == {
        k: v for k, v in source.items() if k[1]
    }
