"""The production stack (`make prod`) from outside: these tests speak to nginx over TLS
and prepare their data in the stack's own database through its own settings.
`scripts/test.sh` starts the stack and sets GUGUS_PROD_DIR; without it they are not
collected (tests/conftest.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_environment(prod_dir: Path) -> dict:
    """The environment the stack's processes run with: its gugus.env, no development mode."""
    env = {k: v for k, v in os.environ.items() if k not in ("GUGUS_DEBUG", "GUGUS_TODAY")}
    for line in (prod_dir / "gugus.env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            env[key] = value
    return env | {"PYTHONPATH": str(ROOT)}


class Stack:
    def __init__(self, prod_dir: Path):
        self.dir = prod_dir
        self.env = production_environment(prod_dir)
        self.url = f"https://127.0.0.1:{self.env['GUGUS_HTTPS_PORT']}"
        self.http_url = f"http://127.0.0.1:{self.env['GUGUS_HTTP_PORT']}"
        self.certificate = prod_dir / "tls" / "cert.pem"

    def prepare(self, *what: str) -> dict:
        """Runs tests/prod/prepare.py WHAT... against the stack's database; its JSON answer."""
        done = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "prod" / "prepare.py"), *what],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def stack():
    return Stack(Path(os.environ["GUGUS_PROD_DIR"]).resolve())
