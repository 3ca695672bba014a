"""Deadline day under locust (run by bench/deadline.py): each user is a head submitting,
for their own teachers, an observation and an assessment at the last moment; the
trivial user asks /healthz (one database query) for the comparison."""

import itertools
import json
import os
from pathlib import Path

from locust import HttpUser, constant, task

ACCOUNTS = json.loads(Path(os.environ["GUGUS_BENCH_ACCOUNTS"]).read_text(encoding="utf-8"))
_next = itertools.count()
RATINGS = ["efektif", "belum_efektif"]


class GugusUser(HttpUser):
    """Checks TLS against the certificate bench/deadline.py is given (`make prod`'s own)."""

    abstract = True
    wait_time = constant(float(os.environ.get("GUGUS_BENCH_WAIT", "5")))

    def on_start(self):
        self.client.verify = os.environ.get("REQUESTS_CA_BUNDLE") or True


class DeadlineUser(GugusUser):
    """A head at the deadline: reads a form and submits it, every few seconds."""

    def on_start(self):
        super().on_start()
        account = ACCOUNTS[next(_next) % len(ACCOUNTS)]
        self.client.headers["Authorization"] = f"Bearer {account['token']}"
        self.observe, self.assess = account["observe"], account["assess"]
        self.turn = 0

    @task
    def observation_submit(self):
        cycle = self.client.get(
            f"/api/v1/plans/{self.observe}/cycle", name="observation: read"
        ).json()
        self.turn += 1
        self.client.put(
            f"/api/v1/plans/{self.observe}/cycle/observation",
            json={
                "version": cycle["version"],
                "ratings": [
                    {
                        "indicator_id": r["indicator_id"],
                        "rating": RATINGS[(self.turn + n) % 2],
                        "evidence": f"Catatan {self.turn}",
                    }
                    for n, r in enumerate(cycle["ratings"])
                ],
            },
            name="observation-submit",
        )

    @task
    def assessment_submit(self):
        plan = self.client.get(f"/api/v1/plans/{self.assess}", name="assessment: read").json()
        self.client.put(
            f"/api/v1/plans/{self.assess}/assessment",
            json={
                "version": plan["version"],
                "work_results": "sesuai",
                "work_behaviour": "di_atas",
            },
            name="assessment-submit",
        )


class TrivialUser(GugusUser):
    """As many requests per turn as a deadline user's (a read and a submit)."""

    @task
    def healthz(self):
        self.client.get("/healthz", name="trivial")
        self.client.get("/healthz", name="trivial")
