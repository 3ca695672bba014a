"""Pairing teachers of a partnership cohort (DOMAIN.md §5): every lower-tier teacher (a
Guru Mitra 2, or an Imbas) with a higher-tier one (Guru Mitra 1, or a Mitra) of the same
subject and level, each host taking at most its ratio's number of partners.

Hard constraints: same subject and level; never a partner from the host's own school;
never a pair the office excluded. Locked pairs are kept as they are and use up their
host's capacity.

Objective, minimised exactly (OR-Tools min-cost flow): first match as many partners as the
constraints allow, then the least total cost, where a pair costs

    cost = gap weight x (100 - (host score - partner score)) + travel weight x km

with km the great-circle distance between the two kab/kota. A wider competency gap is
what a host can teach; a shorter trip is cheaper and easier to repeat. Costs are whole
hundredths so the solver works on integers. A partner left unmatched carries why: no host
of that subject and level is allowed at all, or every allowed host is full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from gugus.directory.geo import distance_km

SCALE = 100  # costs in hundredths


@dataclass(frozen=True)
class Teacher:
    key: int
    subject: str
    jenjang: str
    regency: str
    school: int | None
    score: float


@dataclass(frozen=True)
class Weights:
    gap: float = 1.0  # per point of the host's lead over the partner
    travel: float = 0.02  # per km between the two kab/kota (100 km weigh 2 points)


@dataclass(frozen=True)
class Terms:
    """Why a pair costs what it costs: the reader can redo the sum."""

    gap: float
    km: float
    cost: int  # hundredths


@dataclass(frozen=True)
class Pair:
    host: Teacher
    partner: Teacher
    terms: Terms
    locked: bool = False


NO_HOST = "no_host"
FULL = "capacity_full"


@dataclass(frozen=True)
class Unmatched:
    partner: Teacher
    reason: str  # NO_HOST or FULL


@dataclass
class Result:
    pairs: list[Pair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def cost(self) -> int:
        """The total cost of the pairs, in hundredths."""
        return sum(p.terms.cost for p in self.pairs)


def allowed(host: Teacher, partner: Teacher) -> bool:
    """The hard constraints every pair keeps."""
    return (
        host.subject == partner.subject
        and host.jenjang == partner.jenjang
        and (host.school is None or host.school != partner.school)
    )


def terms(host: Teacher, partner: Teacher, weights: Weights, km=distance_km) -> Terms:
    gap = round(host.score - partner.score, 2)
    distance = round(km(host.regency, partner.regency), 1)
    lead = min(max(gap, -100.0), 100.0)
    cost = round(SCALE * (weights.gap * (100 - lead) + weights.travel * distance))
    return Terms(gap=gap, km=distance, cost=cost)


def match(
    hosts: Iterable[Teacher],
    partners: Iterable[Teacher],
    *,
    capacity: int | dict[int, int],
    weights: Weights = Weights(),
    locked: Iterable[tuple[int, int]] = (),
    excluded: Iterable[tuple[int, int]] = (),
    km: Callable[[str, str], float] = distance_km,
) -> Result:
    """The optimal pairing (see the module's docstring). `capacity` is the ratio (partners
    per host) or a host key → capacity map; `locked` and `excluded` are (host key,
    partner key) pairs."""
    hosts = list(hosts)
    partners = list(partners)
    by_key = {h.key: h for h in hosts}
    room = {h.key: capacity if isinstance(capacity, int) else capacity[h.key] for h in hosts}
    result = Result()
    taken = set()
    for host_key, partner_key in locked:
        host = by_key[host_key]
        partner = next(p for p in partners if p.key == partner_key)
        result.pairs.append(Pair(host, partner, terms(host, partner, weights, km), locked=True))
        room[host_key] -= 1
        taken.add(partner_key)
    excluded = set(excluded)
    free = [p for p in partners if p.key not in taken]
    # Candidate arcs, found per subject and level so the inner loop stays short.
    hosts_by_kind = defaultdict(list)
    for h in hosts:
        hosts_by_kind[(h.subject, h.jenjang)].append(h)
    arcs: list[tuple[int, int, Terms]] = []  # (partner index, host index, terms)
    host_index = {h.key: i for i, h in enumerate(hosts)}
    reachable = [False] * len(free)
    for i, partner in enumerate(free):
        for host in hosts_by_kind.get((partner.subject, partner.jenjang), ()):
            if (host.key, partner.key) in excluded or not allowed(host, partner):
                continue
            reachable[i] = True
            if room[host.key] > 0:
                arcs.append((i, host_index[host.key], terms(host, partner, weights, km)))
    chosen = _solve(len(free), len(hosts), arcs, [max(room[h.key], 0) for h in hosts])
    for i, partner in enumerate(free):
        if i in chosen:
            j, pair_terms = chosen[i]
            result.pairs.append(Pair(hosts[j], partner, pair_terms))
        else:
            result.unmatched.append(Unmatched(partner, FULL if reachable[i] else NO_HOST))
    return result


def _solve(n_partners: int, n_hosts: int, arcs, capacities) -> dict[int, tuple[int, Terms]]:
    """Min-cost flow: partner nodes 0..P-1 (supply 1), host nodes P..P+H-1, one sink. A
    partner may also flow straight to the sink at a penalty dearer than any chain of
    re-pairings, so the flow matches as many partners as possible before it saves cost."""
    if not n_partners:
        return {}
    sink = n_partners + n_hosts
    most = max((t.cost for _i, _j, t in arcs), default=0)
    penalty = most * (n_partners + 1) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = {}
    for i, j, t in arcs:
        pair_arcs[flow.add_arc_with_capacity_and_unit_cost(i, n_partners + j, 1, t.cost)] = (
            i,
            j,
            t,
        )
    for j, room in enumerate(capacities):
        if room:
            flow.add_arc_with_capacity_and_unit_cost(n_partners + j, sink, room, 0)
    for i in range(n_partners):
        flow.add_arc_with_capacity_and_unit_cost(i, sink, 1, penalty)
        flow.set_node_supply(i, 1)
    flow.set_node_supply(sink, -n_partners)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The matching could not be solved (status {status}).")
    return {i: (j, t) for arc, (i, j, t) in pair_arcs.items() if flow.flow(arc)}
