"""Training's lists, pages and API lists run a fixed number of queries however many
events, participants and sessions they show: measured once, then after the rows grew."""

from gugus.training import services
from tests.querycounts import grew, measure
from tests.training.conftest import EVENT, head


def test_training_pages_cost_the_same_with_more_rows(client, bbgp, kota, event, kota_heads):
    first = services.nominate(actor=kota, event=event, person=kota_heads["sd"][0])
    pages = {
        bbgp: [
            "/pelatihan/",
            f"/pelatihan/{event.pk}/",
            f"/pelatihan/peserta/{first.pk}/",
            "/api/v1/training/events",
            f"/api/v1/training/events/{event.pk}",
            f"/api/v1/training/events/{event.pk}/quotas",
            f"/api/v1/training/events/{event.pk}/participants",
            f"/api/v1/training/events/{event.pk}/dashboard",
            f"/api/v1/training/events/{event.pk}/certificates",
        ],
        kota: ["/pelatihan/", "/pelatihan/usulan/", f"/pelatihan/{event.pk}/"],
    }
    before = measure(client, pages)

    for person in [*kota_heads["sd"][1:], *kota_heads["sma"], *kota_heads["paud_slb"]]:
        services.nominate(actor=kota, event=event, person=person)
    for n in range(4):
        more = services.event_create(
            actor=bbgp,
            data={**EVENT, "title": f"Bimtek {n}", "certificate_prefix": f"BBGP-{n}"},
            venues=[{"name": "Aula BBGP", "capacity": "30"}],
        )
        services.quotas_set(actor=bbgp, event=more, seats={"sd": 3, "sma": 3, "paud_slb": 3})
        more = services.event_step(actor=bbgp, event=more, step="open")
        for _i in range(3):
            services.nominate(actor=bbgp, event=more, person=head("34.71.01", "sd"))
    grown = measure(client, pages)

    assert grew(before, grown) == {}
