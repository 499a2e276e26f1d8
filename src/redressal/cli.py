"""The ``redressal`` console script: the project's manage.py, with friendly command names.

Every Django management command works through it (``redressal migrate``, ``redressal shell``, …);
hyphenated aliases map to the underscore module names (``seed-demo`` → ``seed_demo``). Errors are
one clear line on stderr with exit status 1 — never a traceback — unless REDRESSAL_DEBUG=1.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    try:
        execute_from_command_line(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("REDRESSAL_DEBUG") == "1":
            raise
        print(f"redressal: error: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
