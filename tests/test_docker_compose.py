"""The container deployment: docker-compose.yml, the Dockerfile and the entrypoint.

No Docker engine is needed: the files are parsed and checked for what a deployer relies on.
Each assertion message says what would go wrong in a deployment if it failed.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ["web", "worker"]
# Every container running the app's code: the site, the task worker and the daily reminders.
CODE_SERVICES = [*APP_SERVICES, "reminders"]


# --- helpers ------------------------------------------------------------------------------


def _compose() -> dict:
    assert COMPOSE.exists(), "docker-compose.yml is missing: there is no one-command deployment"
    return yaml.safe_load(COMPOSE.read_text())


def _service(name: str) -> dict:
    return _compose()["services"][name]


def _env(name: str) -> dict[str, str]:
    """A service's environment as a dict, whether written as a mapping or a KEY=VALUE list."""
    raw = _service(name).get("environment") or {}
    if isinstance(raw, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {key: "" if value is None else str(value) for key, value in raw.items()}


def _without_interpolation(value: str, placeholder: str = "x") -> str:
    """Replace each ${...} (braces may nest) with a placeholder, so the rest can be parsed."""
    out, i = [], 0
    while i < len(value):
        if value.startswith("${", i):
            depth, j = 0, i
            while j < len(value):
                if value.startswith("${", j):
                    depth += 1
                    j += 2
                    continue
                if value[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append(placeholder)
            i = j + 1
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _variable(value: str) -> str | None:
    """The variable name of a value that is one whole ${NAME...} interpolation."""
    match = re.fullmatch(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}", value.strip())
    return match.group(1) if match else None


def _command(name: str) -> list[str]:
    command = _service(name).get("command")
    if isinstance(command, str):
        return command.split()
    return [str(part) for part in command or []]


def _build_context(name: str) -> str | None:
    build = _service(name).get("build")
    if isinstance(build, str):
        return build
    if isinstance(build, dict):
        return build.get("context", ".")
    return None


def _mounts(name: str) -> dict[str, str]:
    """target path -> source, for short ("src:target[:mode]") and long volume syntax."""
    mounts = {}
    for volume in _service(name).get("volumes") or []:
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume.get("source", "")
        else:
            parts = volume.split(":")
            if len(parts) == 1:
                mounts[parts[0]] = ""  # anonymous volume
            else:
                mounts[parts[1]] = parts[0]
    return mounts


def _is_named_volume(source: str) -> bool:
    return bool(source) and not source.startswith(("/", ".", "~", "$"))


def _published_ports(name: str) -> set[tuple[str, str]]:
    """(published, target) pairs, for short and long port syntax."""
    ports = set()
    for port in _service(name).get("ports") or []:
        if isinstance(port, dict):
            ports.add((str(port.get("published", "")), str(port["target"])))
        else:
            parts = str(port).split("/")[0].rsplit(":", 2)
            if len(parts) == 1:
                ports.add(("", parts[0]))
            else:
                ports.add((parts[-2], parts[-1]))
    return ports


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuation lines joined."""
    assert DOCKERFILE.exists(), "Dockerfile is missing: `docker compose build` cannot build the app"
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def _entrypoint_branch(word: str) -> str:
    """The body of the entrypoint's `case` branch for `word)`, up to its `;;`."""
    assert ENTRYPOINT.exists(), "docker/entrypoint.sh is missing: the image has no way to start"
    text = ENTRYPOINT.read_text()
    match = re.search(rf"^\s*{word}\)(.*?);;", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docker/entrypoint.sh has no `{word})` branch: `{word}` would not start"
    # Drop comments so a word mentioned in a comment does not count as a command.
    return "\n".join(line.split("#", 1)[0] for line in match.group(1).splitlines())


# --- docker-compose.yml -------------------------------------------------------------------


def test_compose_file_uses_the_compose_spec_and_defines_the_three_services():
    compose = _compose()
    assert "version" not in compose, (
        "the obsolete top-level `version:` key makes Compose v2 print a warning on every command"
    )
    missing = {"db", "web", "worker"} - set(compose.get("services", {}))
    assert not missing, (
        f"services {sorted(missing)} are missing: without db there is no database, without web "
        "no site, without worker no e-mails or PDFs"
    )


def test_web_and_worker_run_the_same_image_built_from_this_checkout():
    for name in APP_SERVICES:
        assert _build_context(name) in {".", "./"}, (
            f"{name} is not built from this checkout (build context '.'): it would run "
            "someone else's image or an out-of-date one"
        )
    web, worker = _service("web"), _service("worker")
    assert web.get("build") == worker.get("build"), (
        "web and worker build differently: the worker could run other code than the site"
    )
    assert web.get("image") == worker.get("image"), (
        "web and worker are tagged as different images: after a rebuild one could run stale code"
    )


def test_web_runs_the_web_command_and_publishes_port_8000():
    assert _command("web")[:1] == ["web"], (
        "web does not run the entrypoint's `web` command: migrations would not be applied and "
        "gunicorn would not start"
    )
    assert ("8000", "8000") in _published_ports("web"), (
        "web does not publish port 8000: the reverse proxy could not reach the site"
    )


def test_worker_runs_the_worker_command():
    assert _command("worker")[:1] == ["worker"], (
        "worker does not run the entrypoint's `worker` command: queued e-mails and PDF "
        "reports would never be processed"
    )


@pytest.mark.parametrize("name", CODE_SERVICES)
def test_app_services_wait_for_a_healthy_database(name):
    depends_on = _service(name).get("depends_on")
    assert isinstance(depends_on, dict) and "db" in depends_on, (
        f"{name} does not depend on db: it could start before the database exists and crash"
    )
    assert depends_on["db"].get("condition") == "service_healthy", (
        f"{name} waits only for the db container to start, not for PostgreSQL to accept "
        "connections: first start-up would fail with connection errors"
    )


@pytest.mark.parametrize("name", CODE_SERVICES)
def test_app_services_use_the_compose_postgres_database(name):
    url = _env(name).get("DATABASE_URL", "")
    assert url, f"{name} has no DATABASE_URL: it would use a throw-away SQLite file in the image"
    parts = urlsplit(_without_interpolation(url))
    assert parts.scheme in {"postgres", "postgresql"}, (
        f"{name}'s DATABASE_URL is not PostgreSQL: data would not be in the db service"
    )
    assert parts.hostname == "db", (
        f"{name}'s DATABASE_URL points at {parts.hostname!r}, not the `db` service: it would "
        "not find the database"
    )
    db_env = _env("db")
    assert parts.username == db_env.get("POSTGRES_USER"), (
        f"{name} signs in as a different user than db creates: every connection would be refused"
    )
    assert parts.path.lstrip("/") == db_env.get("POSTGRES_DB"), (
        f"{name} uses a different database name than db creates: start-up would fail"
    )
    password = re.search(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", urlsplit(url).netloc)
    assert password and password.group(1) == _variable(db_env.get("POSTGRES_PASSWORD", "")), (
        f"{name}'s database password is not the same variable as db's POSTGRES_PASSWORD (or is "
        "hard-coded): sign-in would fail or the password would be in version control"
    )


@pytest.mark.parametrize("name", CODE_SERVICES)
def test_app_services_run_in_production_mode_with_a_secret_from_the_environment(name):
    env = _env(name)
    assert env.get("DEBUG", "").strip().lower() in {"false", "0", "no", "off"}, (
        f"{name} does not set DEBUG=false: error pages would leak settings and code to visitors"
    )
    secret = env.get("SECRET_KEY", "")
    assert secret, f"{name} has no SECRET_KEY: the app refuses to start with DEBUG off"
    assert _variable(secret), (
        f"{name}'s SECRET_KEY is hard-coded in docker-compose.yml: anyone with the repository "
        "could forge sessions and password-reset links"
    )
    assert "?" in secret, (
        f"{name}'s SECRET_KEY is not required (${{SECRET_KEY:?...}}): a missing key would show "
        "up as a crash-looping container instead of a clear error at `docker compose up`"
    )
    assert env.get("ALLOWED_HOSTS", "").strip(), (
        f"{name} has no ALLOWED_HOSTS: the app refuses to start with DEBUG off"
    )


def test_web_and_worker_share_the_settings_that_must_agree():
    web, worker = _env("web"), _env("worker")
    for key in ["DATABASE_URL", "SECRET_KEY", "MEDIA_ROOT", "DEBUG", "ALLOWED_HOSTS", "SITE_URL"]:
        assert web.get(key) == worker.get(key), (
            f"web and worker have different {key}: the worker would write to another database "
            "or folder, or send links and signatures the site does not recognise"
        )


def test_web_and_worker_keep_uploads_on_the_same_named_volume():
    compose = _compose()
    sources = {}
    for name in APP_SERVICES:
        media_root = _env(name).get("MEDIA_ROOT", "")
        assert media_root.startswith("/"), (
            f"{name} has no absolute MEDIA_ROOT: uploads would go inside the image's code folder"
        )
        source = _mounts(name).get(media_root)
        assert _is_named_volume(source or ""), (
            f"{name} has no named volume at MEDIA_ROOT {media_root}: uploaded documents would "
            "be lost when the container is recreated"
        )
        assert source in (compose.get("volumes") or {}), (
            f"volume {source!r} is not declared under top-level `volumes:`: Compose would "
            "reject the file"
        )
        sources[name] = (source, media_root)
    assert sources["web"] == sources["worker"], (
        "web and worker do not mount the same media volume at the same path: PDFs the worker "
        "renders would not be downloadable from the site"
    )


def test_database_is_health_checked_and_persistent():
    compose, db = _compose(), _service("db")
    test = db.get("healthcheck", {}).get("test")
    test_text = " ".join(test) if isinstance(test, list) else str(test or "")
    assert "pg_isready" in test_text, (
        "db has no pg_isready health check: web and worker could not wait for it to be ready"
    )
    data = [
        source
        for target, source in _mounts("db").items()
        if target.rstrip("/").startswith("/var/lib/postgresql")
    ]
    assert data and _is_named_volume(data[0]), (
        "db keeps its data inside the container: every record would be lost on recreation"
    )
    assert data[0] in (compose.get("volumes") or {}), (
        f"volume {data[0]!r} is not declared under top-level `volumes:`: Compose rejects the file"
    )
    for name in ["POSTGRES_DB", "POSTGRES_USER"]:
        assert _env("db").get(name), f"db has no {name}: the app's database would not be created"
    assert _variable(_env("db").get("POSTGRES_PASSWORD", "")), (
        "db's POSTGRES_PASSWORD is missing or hard-coded: the database would be unprotected or "
        "its password in version control"
    )


def _reminders_script() -> str:
    """The reminders service's shell script, as the container runs it (Compose turns $$
    into $)."""
    command = _service("reminders").get("command")
    assert isinstance(command, list) and command[:2] == ["bash", "-c"], (
        "reminders does not run its loop with `bash -c`: the entrypoint would not know the "
        "command and the container would exit"
    )
    return command[2].replace("$$", "$")


def test_reminders_run_daily_from_the_same_image_with_the_same_settings():
    assert "reminders" in _compose()["services"], (
        "there is no reminders service: nobody would be reminded of updates, overdue actions "
        "or ratings to decide"
    )
    reminders, web = _service("reminders"), _service("web")
    assert _build_context("reminders") in {".", "./"} and reminders.get("build") == web.get(
        "build"
    ), "reminders is built differently from web: it could run other code than the site"
    assert reminders.get("image") == web.get("image"), (
        "reminders is tagged as a different image: after a rebuild it could run stale code"
    )
    env, web_env = _env("reminders"), _env("web")
    for key in ["DATABASE_URL", "SECRET_KEY", "SITE_URL", "DEBUG", "DEFAULT_FROM_EMAIL"] + [
        key for key in web_env if key.startswith("EMAIL_")
    ]:
        assert env.get(key) == web_env.get(key), (
            f"reminders and web have different {key}: reminders would read another database, "
            "link to the wrong site or fail to send e-mail"
        )
    assert reminders.get("restart") in {"unless-stopped", "always"}, (
        "reminders has no restart policy: after a crash or a reboot nobody would be reminded"
    )
    assert not _published_ports("reminders"), "reminders publishes a port it does not serve"
    assert (reminders.get("healthcheck") or {}).get("disable") is True, (
        "reminders keeps the image's web health check: it would always be reported unhealthy"
    )


def test_reminders_loop_sends_once_a_day_after_migrations_and_is_valid_bash():
    script = _reminders_script()
    code = "\n".join(line.split("#", 1)[0] for line in script.splitlines())
    assert re.search(r"python\s+manage\.py\s+send_reminders", code), (
        "the reminders loop does not run `python manage.py send_reminders`: nothing is sent"
    )
    assert re.search(r"while\s+true", code) and "86400" in code, (
        "the reminders loop does not run once a day (a loop sleeping 86400 s): reminders would "
        "be sent once, or too often"
    )
    assert "migrate --check" in code and code.index("migrate --check") < code.index(
        "send_reminders"
    ), "reminders does not wait for migrations: the first run could fail on missing tables"
    assert re.search(r"trap\s+.+\s+TERM", code), (
        "the reminders loop ignores SIGTERM (bash as PID 1): every stop would wait for the kill"
    )
    bash = shutil.which("bash")
    if bash:
        result = subprocess.run([bash, "-n", "-c", script], capture_output=True, text=True)
        assert result.returncode == 0, f"the reminders loop is not valid bash: {result.stderr}"
    passthrough = _entrypoint_branch(r"\*")
    assert re.search(r'exec\s+"\$@"', passthrough), (
        "the entrypoint does not run other commands as given: the reminders loop would not start"
    )


# --- Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_collects_static_files_at_build_time():
    runs = [args for keyword, args in _dockerfile_instructions() if keyword == "RUN"]
    assert any("collectstatic" in run for run in runs), (
        "the image does not run collectstatic: with DEBUG off every page would fail with a "
        "missing static-files manifest"
    )


def test_dockerfile_runs_as_a_non_root_user():
    users = [args for keyword, args in _dockerfile_instructions() if keyword == "USER"]
    assert users, "the image has no USER line: the app would run as root"
    user = users[-1].split(":", 1)[0].strip()
    assert user not in {"root", "0"}, (
        "the image's last USER is root: a flaw in the app would give an attacker root in the "
        "container"
    )


def test_dockerfile_prepares_media_root_serves_8000_and_checks_health():
    instructions = _dockerfile_instructions()
    text = "\n".join(f"{keyword} {args}" for keyword, args in instructions)
    media_root = _env("web").get("MEDIA_ROOT", "")
    assert media_root and any(
        keyword == "RUN" and "chown" in args and media_root in args
        for keyword, args in instructions
    ), (
        f"the image does not create {media_root} owned by the app user: the fresh media volume "
        "would belong to root and every upload would fail"
    )
    assert any(keyword == "EXPOSE" and "8000" in args.split() for keyword, args in instructions), (
        "the image does not EXPOSE 8000: tools that read the image would not know its port"
    )
    assert any(keyword == "HEALTHCHECK" and "/healthz" in args for keyword, args in instructions), (
        "the image has no /healthz health check: a wedged server would not be reported"
    )
    assert "docker/entrypoint.sh" in text and any(k == "ENTRYPOINT" for k, _ in instructions), (
        "the image does not use docker/entrypoint.sh: `web` and `worker` would not be understood"
    )


# --- entrypoint ---------------------------------------------------------------------------


def test_entrypoint_is_strict_and_valid_bash():
    text = ENTRYPOINT.read_text()
    assert "set -euo pipefail" in text, (
        "the entrypoint does not stop on errors: a failed migration would still start the site"
    )
    bash = shutil.which("bash")
    if bash:
        result = subprocess.run([bash, "-n", str(ENTRYPOINT)], capture_output=True, text=True)
        assert result.returncode == 0, f"the entrypoint is not valid bash: {result.stderr}"
    if os.name == "posix":
        assert os.access(ENTRYPOINT, os.X_OK), (
            "docker/entrypoint.sh is not executable: running it directly would fail"
        )


def test_entrypoint_web_migrates_then_serves_with_gunicorn():
    web = _entrypoint_branch("web")
    assert "manage.py migrate" in web, (
        "`web` does not apply migrations: a new release would serve pages against an old schema"
    )
    assert re.search(r"exec\s+gunicorn\s+sab\.wsgi:application", web), (
        "`web` does not exec gunicorn with sab.wsgi:application: the site would not be served "
        "(or would not receive the stop signal)"
    )
    assert web.index("migrate") < web.index("gunicorn"), (
        "`web` starts gunicorn before migrating: requests would hit missing tables"
    )
    assert "0.0.0.0:8000" in web, (
        "gunicorn does not listen on 0.0.0.0:8000: the published port would lead nowhere"
    )


def test_entrypoint_worker_runs_the_task_worker_on_both_queues():
    worker = _entrypoint_branch("worker")
    assert re.search(r"exec\s+python\s+manage\.py\s+db_worker", worker), (
        "`worker` does not exec the db_worker: background tasks would never run"
    )
    queues = re.findall(r"--queue-name[ =](\S+)", worker)
    assert len(queues) == 1, (
        "db_worker's --queue-name is given more than once (or not at all): only the last one "
        "counts, so one of the queues would never be processed"
    )
    assert set(queues[0].strip("\"'").split(",")) >= {"default", "pdf"}, (
        "the worker does not process both the `default` and `pdf` queues: e-mails or PDF "
        "reports would wait for ever"
    )


# --- .dockerignore ------------------------------------------------------------------------


def test_dockerignore_keeps_secrets_and_local_data_out_but_not_the_app():
    assert DOCKERIGNORE.exists(), ".dockerignore is missing: .env and .git would be in the image"
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in [".env", ".git", ".venv", "db.sqlite3", "media"]:
        assert pattern in patterns, (
            f"{pattern} is sent to the image build: local secrets or data could end up in the image"
        )
    for needed in ["static", "requirements.lock", "pyproject.toml", "sab", "templates"]:
        assert needed not in patterns, (
            f"{needed} is excluded from the build: the image would be missing part of the app"
        )
