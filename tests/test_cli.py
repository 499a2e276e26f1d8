"""The console script: Django commands by friendly names, and errors as one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDRESSAL_DATA_DIR": str(tmp_path)}
    env.pop("REDRESSAL_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "redressal.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.sqlite_only
def test_migrate_calendar_sync_and_clean_errors(tmp_path):
    assert run("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    ok = run("calendar-sync", "2024", tmp_path=tmp_path)
    assert ok.returncode == 0 and "8 make-up working days" in ok.stdout
    bad = run("calendar-sync", "1800", tmp_path=tmp_path)
    assert bad.returncode == 1
    assert "out of range" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    verify = run("audit-verify", tmp_path=tmp_path)
    assert verify.returncode == 0 and "OK" in verify.stdout


def test_production_mode_refuses_default_secrets(tmp_path):
    env = {**os.environ, "REDRESSAL_DATA_DIR": str(tmp_path), "REDRESSAL_MODE": "production"}
    for key in ("REDRESSAL_SECRET_KEY", "REDRESSAL_PII_KEYS", "REDRESSAL_PII_INDEX_KEY"):
        env.pop(key, None)
    r = subprocess.run(
        [sys.executable, "-m", "redressal.cli", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert r.returncode == 1
    assert "REDRESSAL_SECRET_KEY must be set" in r.stderr and "Traceback" not in r.stderr


def test_production_mode_refuses_to_start_without_the_audit_key(tmp_path):
    """Every other secret set: the audit chain's key alone is missing (docs/audit.md)."""
    key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY="
    env = {
        **os.environ,
        "REDRESSAL_DATA_DIR": str(tmp_path),
        "REDRESSAL_MODE": "production",
        "REDRESSAL_SECRET_KEY": "x" * 50,
        "REDRESSAL_PII_KEYS": f"k1:{key}",
        "REDRESSAL_PII_INDEX_KEY": key,
    }
    env.pop("REDRESSAL_AUDIT_KEY", None)
    r = subprocess.run(
        [sys.executable, "-m", "redressal.cli", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 1
    assert "REDRESSAL_AUDIT_KEY must be set" in r.stderr and "Traceback" not in r.stderr

    r = subprocess.run(
        [sys.executable, "-m", "redressal.cli", "check"],
        capture_output=True,
        text=True,
        env={**env, "REDRESSAL_AUDIT_KEY": "c2hvcnQ="},  # 5 bytes
        timeout=120,
    )
    assert r.returncode == 1
    assert "REDRESSAL_AUDIT_KEY must hold at least 32 bytes" in r.stderr and "Traceback" not in r.stderr
    good = subprocess.run(
        [sys.executable, "-m", "redressal.cli", "check"],
        capture_output=True,
        text=True,
        env={**env, "REDRESSAL_AUDIT_KEY": key},
        timeout=120,
    )
    assert "REDRESSAL_AUDIT_KEY" not in good.stderr


def test_a_demo_data_dir_from_before_the_audit_key_keeps_its_secrets_and_gains_the_key(tmp_path, monkeypatch):
    import json

    from redressal.core import config

    monkeypatch.setenv("REDRESSAL_DATA_DIR", str(tmp_path))
    old = {"secret_key": "s" * 50, "pii_keys": "k1:old", "pii_index_key": "old-index"}
    (tmp_path / "demo-secrets.json").write_text(json.dumps(old))
    secrets = config._demo_secrets()
    assert {k: secrets[k] for k in old} == old
    assert len(secrets["audit_key"]) == 44
    assert json.loads((tmp_path / "demo-secrets.json").read_text()) == secrets
    assert config._demo_secrets() == secrets
