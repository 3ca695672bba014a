"""Partnership matching at national scale (no database: the engine alone).

    python bench/partnership.py --hosts 20000 --partners 40000 --out bench/out/partnership.json

An instance like the national programme's: Guru Mitra 1 and Guru Mitra 2 of four SMP
subjects spread over the 514 kab/kota (partners more often in the less populous ones),
two partners per host, a few schools per kab/kota. Reports the optimal pairing's time,
the process's peak memory, its cost and partners left unmatched, and the same for a
greedy baseline (each partner, weakest first, takes the cheapest host still free), so the
ratio shows what optimality buys.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from gugus.directory.geo import centroids, distance_km  # noqa: E402
from gugus.partnership.matching import (  # noqa: E402
    Teacher,
    Weights,
    host_part,
    match,
    partner_part,
    travel_part,
)

SUBJECTS = ["bahasa-indonesia", "bahasa-inggris", "matematika", "ipa"]


def instance(n_hosts: int, n_partners: int, seed: int = 1):
    rng = random.Random(seed)
    regencies = sorted(centroids())
    # Hosts from a third of the kab/kota (the high-performing ones), partners from anywhere.
    host_places = rng.sample(regencies, len(regencies) // 3)

    def teacher(key, places, low, high):
        regency = rng.choice(places)
        school = hash((regency, rng.randint(1, 6))) % 10**9
        return Teacher(
            key, rng.choice(SUBJECTS), "smp", regency, school, round(rng.uniform(low, high), 2)
        )

    hosts = [teacher(k, host_places, 70, 95) for k in range(n_hosts)]
    partners = [teacher(10**6 + k, regencies, 25, 60) for k in range(n_partners)]
    return hosts, partners


def greedy(hosts, partners, capacity: int, weights: Weights):
    """Weakest partner first, each takes the cheapest host of its subject still free."""
    by_subject = {}
    for s in SUBJECTS:
        group = [h for h in hosts if h.subject == s]
        by_subject[s] = (
            group,
            np.array([host_part(h, weights) for h in group], dtype=np.int64),
            np.array([h.school for h in group], dtype=np.int64),
            [h.regency for h in group],
        )
    room = {s: np.full(len(by_subject[s][0]), capacity) for s in SUBJECTS}
    travel = {}
    total, unmatched = 0, 0
    for p in sorted(partners, key=lambda p: p.score):
        group, parts, schools, places = by_subject[p.subject]
        if (p.subject, p.regency) not in travel:
            by_place = {r: travel_part(distance_km(p.regency, r), weights) for r in set(places)}
            travel[(p.subject, p.regency)] = np.array([by_place[r] for r in places], dtype=np.int64)
        trips = travel[(p.subject, p.regency)]
        cost = parts + trips + partner_part(p, weights)
        cost[(room[p.subject] == 0) | (schools == p.school)] = np.iinfo(np.int64).max
        best = int(np.argmin(cost))
        if cost[best] == np.iinfo(np.int64).max:
            unmatched += 1
            continue
        room[p.subject][best] -= 1
        total += int(cost[best])
    return total, unmatched


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=20000)
    parser.add_argument("--partners", type=int, default=40000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    hosts, partners = instance(args.hosts, args.partners)
    weights = Weights()
    start = time.perf_counter()
    result = match(hosts, partners, capacity=2, weights=weights)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    greedy_cost, greedy_unmatched = greedy(hosts, partners, 2, weights)
    greedy_seconds = time.perf_counter() - start
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "hosts": len(hosts),
        "partners": len(partners),
        "subjects": len(SUBJECTS),
        "kabkota": len(centroids()),
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
        "matched": len(result.pairs),
        "unmatched": len(result.unmatched),
        "cost": result.cost,
        "greedy_seconds": round(greedy_seconds, 1),
        "greedy_matched": len(partners) - greedy_unmatched,
        "greedy_cost": greedy_cost,
        "mean_km": round(sum(p.terms.km for p in result.pairs) / max(len(result.pairs), 1)),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
