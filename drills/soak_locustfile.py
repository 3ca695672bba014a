"""Mixed traffic of every role for the soak (run by drills/soak.py): teachers read their
account and ask for corrections, group chairs record activities; a school head, a
supervisor and the kab/kota, province and national offices sign in on the page and read
theirs. Every request's outcome and time goes to
SOAK_EVENTS; every write the app acknowledged (201 with an id) to SOAK_ACKS, so the
soak can look for each one afterwards."""

import datetime
import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

WORLD = json.loads(Path(os.environ["SOAK_WORLD"]).read_text(encoding="utf-8"))
EVENTS = open(os.environ["SOAK_EVENTS"], "a", encoding="utf-8")  # noqa: SIM115
ACKS = open(os.environ["SOAK_ACKS"], "a", encoding="utf-8")  # noqa: SIM115
_teachers, _chairs, _serial = itertools.count(), itertools.count(), itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, response, **kw):
    status = getattr(response, "status_code", 0)
    EVENTS.write(
        json.dumps({"t": time.time(), "name": name, "ok": exception is None, "status": status})
        + "\n"
    )
    EVENTS.flush()


def acknowledge(kind: str, response) -> None:
    if response.status_code == 201:
        ACKS.write(json.dumps({"kind": kind, "id": response.json()["id"]}) + "\n")
        ACKS.flush()


class SoakUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.verify = os.environ.get("REQUESTS_CA_BUNDLE") or True

    def bearer(self, token):
        self.client.headers["Authorization"] = f"Bearer {token}"


class Teacher(SoakUser):
    weight = 6

    def on_start(self):
        super().on_start()
        self.bearer(WORLD["teachers"][next(_teachers) % len(WORLD["teachers"])])

    @task(5)
    def who_am_i(self):
        self.client.get("/api/v1/me", name="teacher: me")

    @task(3)
    def tokens(self):
        self.client.get("/api/v1/me/tokens", name="teacher: tokens")

    @task(1)
    def new_token(self):
        with self.client.post(
            "/api/v1/me/tokens",
            json={"name": f"soak {next(_serial)}"},
            name="teacher: create token",
            catch_response=True,
        ) as response:
            acknowledge("token", response)

    @task(1)
    def correction(self):
        with self.client.post(
            "/api/v1/corrections",
            json={"changes": {"name": f"Nama Soak {next(_serial)}"}, "reason": "Salah ketik"},
            name="teacher: ask for a correction",
            catch_response=True,
        ) as response:
            if response.status_code == 400:  # one request waits at a time: refused, fine
                response.success()
            acknowledge("correction", response)


class Chair(SoakUser):
    weight = 2

    def on_start(self):
        super().on_start()
        chair = WORLD["chairs"][next(_chairs) % len(WORLD["chairs"])]
        self.bearer(chair["token"])
        self.group_id = chair["group_id"]

    @task(3)
    def activities(self):
        self.client.get(f"/api/v1/groups/{self.group_id}/activities", name="chair: activities")

    @task(1)
    def record_activity(self):
        body = {
            "kind": "in",
            "topic": f"Soak {next(_serial)}",
            "date": datetime.date.today().isoformat(),
            "place": "SD",
        }
        with self.client.post(
            f"/api/v1/groups/{self.group_id}/activities",
            json=body,
            name="chair: record an activity",
            catch_response=True,
        ) as response:
            acknowledge("activity", response)


class PageUser(SoakUser):
    """Signs in on the page (CSRF and all) as `account` and reads `pages`."""

    abstract = True
    account = ""
    pages: tuple[tuple[str, str], ...] = ()

    def on_start(self):
        super().on_start()
        self.sign_in()

    def sign_in(self):
        page = self.client.get("/masuk/", name="sign-in page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/masuk/",
            data={
                "username": WORLD[self.account]["username"],
                "password": WORLD[self.account]["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/masuk/"},
            name="sign in",
        )

    @task
    def read_a_page(self):
        """A page; landing on the sign-in page instead is a failure (and signs in again)."""
        path, name = random.choice(self.pages)
        with self.client.get(path, name=name, catch_response=True) as response:
            if "/masuk/" in response.url:
                response.failure("signed out")
                self.sign_in()


class Office(PageUser):
    weight = 2
    account = "office"
    pages = (
        ("/ptk/", "kab/kota office: people"),
        ("/kelompok/", "kab/kota office: groups"),
        ("/dasbor/K:34.71/", "kab/kota office: dashboard"),
        ("/api/v1/schools?regency=34.71", "kab/kota office: schools API"),
    )


class Head(PageUser):
    weight = 1
    account = "head"
    pages = (
        ("/", "head: home"),
        ("/kinerja/", "head: performance semester"),
        ("/saya/", "head: own data"),
    )


class Supervisor(PageUser):
    weight = 1
    account = "supervisor"
    pages = (
        ("/", "supervisor: home"),
        ("/kinerja/", "supervisor: performance semester"),
        ("/dasbor/K:34.71/", "supervisor: dashboard"),
    )


class ProvinceOffice(PageUser):
    weight = 1
    account = "province"
    pages = (
        ("/dasbor/P:34/", "province office: dashboard"),
        ("/bantuan/", "province office: grant programmes"),
        ("/pelatihan/", "province office: training"),
    )


class NationalOffice(PageUser):
    weight = 1
    account = "national"
    pages = (
        ("/dasbor/", "national office: dashboard"),
        ("/kemitraan/", "national office: partnership"),
        ("/api/v1/insights/regions/N", "national office: national figures API"),
    )
