from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from redressal.faq.imports import export_rows


class Command(BaseCommand):
    help = "Export the published FAQ entries of a language as UTF-8 CSV (the import's columns)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="where to write (default: standard output)")
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])

    def handle(self, *args: Any, **opts: Any) -> None:
        text = export_rows(opts["language"])
        if opts["file"]:
            Path(opts["file"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
