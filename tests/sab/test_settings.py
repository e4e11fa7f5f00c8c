"""Configuration from the environment: production refuses bad values with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Hq2-very-long-production-secret-key-with-enough-entropy-9f3kL0pZr81",
    "ALLOWED_HOSTS": "sab.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://sab.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DATABASE_URL": "mongodb://localhost/sab"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://root@localhost/sab"}, "DATABASE_URL"),
        ({"SESSION_IDLE_TIMEOUT": "half an hour"}, "SESSION_IDLE_TIMEOUT"),
        ({"CSRF_TRUSTED_ORIGINS": "sab.example.org"}, "CSRF_TRUSTED_ORIGINS"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(env, names):
    result = manage("check", env={**PRODUCTION_ENV, **env})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got: {result.stderr}"
    assert lines[0].startswith("Configuration error:")
    assert names in lines[0]
    assert "Traceback" not in result.stderr


def test_development_runs_without_a_secret_key():
    result = manage("check", env={"DEBUG": "true", "SECRET_KEY": "", "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
