"""``redressal seed-demo``: the demo bank of SPEC §15 (the work is in ``redressal.demo``)."""

from __future__ import annotations

import os
import secrets
import time
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from redressal.core.errors import ServiceError
from redressal.demo.progress import PhaseBars, PhaseLines
from redressal.demo.seeder import STATES, SeedOptions, demo_present, login_table, seed


class Command(BaseCommand):
    help = (
        "Build the demo bank (SPEC §15) on an empty database: head office, 6 branches, 30 outlets, departments, "
        "staff for every role, customers and a year of cases replayed through the services."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--cases", type=int, default=3000, help="primary cases to build (0: org and customers only)"
        )
        parser.add_argument("--customers", type=int, default=5000, help="customers to create")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (the same seed builds the same demo)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the database already has staff")

    def line(self, text: str) -> None:
        """One progress line, out at once: a log piped from here shows where the seed is."""
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["cases"] < 0 or opts["customers"] < 0:
            raise CommandError("--cases and --customers must not be negative")
        if demo_present():
            if opts["if_empty"]:
                self.stdout.write("demo data already present")
                self.stdout.write(login_table())
                return
            raise CommandError(
                "the database already has staff; seed-demo builds a new demo bank on an empty database "
                "(use --if-empty to skip, or a fresh REDRESSAL_DATA_DIR)"
            )
        env_password = os.environ.get("REDRESSAL_DEMO_PASSWORD", "")
        if env_password:
            # Every demo login shares it, so it gets the same checks as a password a person sets.
            try:
                with translation.override("en"):  # the command speaks English throughout
                    validate_password(env_password)
            except ValidationError as exc:
                raise CommandError("REDRESSAL_DEMO_PASSWORD is refused: " + " ".join(exc.messages)) from exc
        password = env_password or secrets.token_urlsafe(12)  # 16 random characters: passes them all
        options = SeedOptions(cases=opts["cases"], customers=opts["customers"], seed=opts["seed"], password=password)
        started = time.monotonic()
        try:
            if self.stdout.isatty():
                with PhaseBars() as bars:
                    result = seed(options, bars)
            else:
                lines = PhaseLines(self.line)
                result = seed(options, lines)
                lines.finish()
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        elapsed = time.monotonic() - started

        report = result.report
        self.stdout.write(
            f"Built {result.units} org units, {result.staff} staff, {result.customers} customers, "
            f"{report.primary} cases and {report.reviews} review cases ({result.events} events; "
            f"calendar {result.years[0]}–{result.years[-1]})."
        )
        primary = result.states.get("primary", {})
        if primary:
            self.stdout.write("cases by state: " + ", ".join(f"{s} {primary.get(s, 0)}" for s in STATES))
        reviews = result.states.get("review", {})
        if reviews:
            self.stdout.write("review cases by state: " + ", ".join(f"{s} {n}" for s, n in sorted(reviews.items())))
        if report.primary:
            self.stdout.write(
                f"{report.steps} service calls; {report.stopped_at_horizon} stories still open at the present; "
                f"{result.warnings_fired} due deadline warnings delivered; "
                f"{result.notifications_read} older notifications already read by their staff"
            )
        library = result.library
        if library.entries or library.courses:
            self.stdout.write(
                f"case library: {library.entries} entries published; training: {library.courses} courses, "
                f"{library.enrolments} enrolments, {library.scored} exam scores"
                + (f"; not written up: {', '.join(library.skipped)}" if library.skipped else "")
            )
        typical = result.typical
        if typical.cases:
            self.stdout.write(
                f"typical cases: {len(typical.cases)} replayed from registration to follow-up visit, "
                f"{len(typical.entries)} written up, {len(typical.accountabilities)} accountability findings, "
                f"{len(typical.issues)} improvement issue, {len(typical.enrolments)} retraining"
            )
        q = result.quality
        if q.months:
            self.stdout.write(
                f"QA: {q.months} months sampled, {q.sampled} cases, {q.scored} scored, {q.calibrated} calibrated, "
                f"{q.appealed} appealed ({q.refused} refused)"
            )
        refused = sum(report.refused.values())
        self.stdout.write(f"refused by the rules: {refused}")
        if refused:
            codes = ", ".join(f"{code} × {n}" for code, n in report.refused.most_common())
            self.stderr.write(f"warning: {refused} step(s) were refused by the rules ({codes}); first ones:")
            for line in report.refused_samples:
                self.stderr.write(f"  {line}")
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.timings.items())
        self.stdout.write(f"elapsed {elapsed:.1f}s ({phases})")
        self.stdout.write(login_table())
        if env_password:
            self.stdout.write("Password for every demo login: the value of REDRESSAL_DEMO_PASSWORD")
        else:
            self.stdout.write(f"Password for every demo login: {password}")
            self.stdout.write("(shown only this once; set REDRESSAL_DEMO_PASSWORD to choose your own)")
