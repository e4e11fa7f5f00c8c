"""Helpers for browser tests: signing in by session cookie, axe-core and the Nu Html Checker."""

import json
import subprocess
from pathlib import Path

from django.conf import settings
from django.test import Client

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def sign_in(page, live_server, user) -> None:
    """Give the browser the session of a user signed in through Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core in the page. Injected with evaluate(), so our own CSP stays strict."""
    page.evaluate(axe_source)
    script = "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
    result = page.evaluate(script + ".violations", AXE_TAGS)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result
    ]


def assert_no_axe_violations(page, axe_source: str) -> None:
    violations = axe_violations(page, axe_source)
    assert violations == [], f"{page.url}: {json.dumps(violations, indent=2)}"


def html_errors(vnu_jar: Path, documents: dict[str, str], tmp_path: Path) -> list[str]:
    """Validate several HTML documents in one Nu Html Checker run (JVM start-up is ~2 s)."""
    files = []
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
