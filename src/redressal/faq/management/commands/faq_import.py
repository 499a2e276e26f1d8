from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from redressal.faq.imports import BadFile, import_rows, read_csv
from redressal.org.authz import Actor, actor_for
from redressal.org.models import Staff


def staff_actor(username: str) -> Actor:
    staff = Staff.objects.filter(username=username, is_active=True).first()
    if staff is None:
        raise CommandError(f"no active staff member '{username}'")
    return actor_for(staff)


class Command(BaseCommand):
    help = (
        "Import FAQ entries from a UTF-8 CSV (question,similar_questions,answer,category; similar questions "
        "separated by |). Idempotent on the question text; bad rows are reported and skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--as", dest="as_user", required=True, help="the author (needs faq.edit)")
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
        parser.add_argument("--replace", action="store_true", help="retire entries of this language not in the file")
        parser.add_argument("--publish-as", dest="publish_as", help="a second person (faq.publish) who publishes")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            rows = read_csv(path.read_bytes())
        except BadFile as exc:
            raise CommandError(str(exc)) from exc
        author = staff_actor(opts["as_user"])
        publisher = staff_actor(opts["publish_as"]) if opts["publish_as"] else None
        report = import_rows(author, rows, language=opts["language"], replace=opts["replace"], publisher=publisher)
        for row in report.errors:
            self.stdout.write(f"line {row.line}: {row.code}: {row.message} ({row.question[:40]})")
        counts = ", ".join(
            f"{report.count(o)} {o}" for o in ("created", "updated", "published", "unchanged", "error")
        )
        self.stdout.write(f"{len(report.rows)} rows: {counts}; {report.retired} retired")
        if report.errors:
            raise SystemExit(2)
