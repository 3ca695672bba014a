"""A short soak of the production stack: mixed traffic of teachers, group chairs and the
office for 40 seconds, PostgreSQL restarted in the middle. Errors only while the database
is away, the same gunicorn and worker afterwards, every acknowledged write in the
database. `make soak` runs the long one (docs/reliability.md)."""

import json
import subprocess
import sys

from tests.prod.conftest import ROOT


def test_the_stack_rides_out_a_database_restart_and_loses_no_acknowledged_write(stack, tmp_path):
    out = tmp_path / "soak.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "drills" / "soak.py"),
            "--prod-dir",
            str(stack.dir),
            "--seconds",
            "40",
            "--users",
            "12",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    soak = json.loads(out.read_text())

    assert soak["restart_seconds"] > 0 and soak["requests_inside_window"] > 0
    assert soak["errors_outside_window"] == 0, soak["failures_outside_window"]
    assert soak["processes_unchanged"] and soak["load_script_crashes"] == 0
    for kind, writes in soak["writes"].items():
        assert writes["acknowledged"] > 0, kind
        assert writes["found"] == writes["acknowledged"], kind
