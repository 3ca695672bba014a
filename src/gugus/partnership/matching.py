"""Pairing teachers of a partnership cohort (DOMAIN.md §5): every lower-tier teacher (a
Guru Mitra 2, or an Imbas) with a higher-tier one (Guru Mitra 1, or a Mitra) of the same
subject and level, each host taking at most its ratio's number of partners.

Hard constraints: same subject and level; never a partner from the host's own school;
never a pair the office excluded. Locked pairs are kept as they are and use up their
host's capacity.

Objective, minimised exactly (OR-Tools min-cost flow): first match as many partners as the
constraints allow, then the least total cost, where a pair costs

    cost = gap weight x (100 - (host score - partner score)) + travel weight x km

(scores are 0-100, so the gap is never more than 100)
with km the great-circle distance between the two kab/kota. A wider competency gap is
what a host can teach; a shorter trip is cheaper and easier to repeat. Costs are whole
hundredths so the solver works on integers. A partner left unmatched carries why: no host
of that subject and level is allowed at all, or every allowed host is full.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
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


def host_part(host: Teacher, weights: Weights) -> int:
    """The host's share of a pair's cost: the lower its score, the dearer."""
    return round(SCALE * weights.gap * (100 - host.score))


def partner_part(partner: Teacher, weights: Weights) -> int:
    return round(SCALE * weights.gap * partner.score)


def travel_part(km_between: float, weights: Weights) -> int:
    return round(SCALE * weights.travel * km_between)


def terms(host: Teacher, partner: Teacher, weights: Weights, km=distance_km) -> Terms:
    """A pair's cost, `gap weight x (100 - gap) + travel weight x km`, kept as the sum of
    its host, partner and travel parts (each in whole hundredths): the solver adds the
    parts along separate arcs, so the sum must be exactly the pair's cost."""
    distance = km(host.regency, partner.regency)
    cost = (
        host_part(host, weights) + partner_part(partner, weights) + travel_part(distance, weights)
    )
    return Terms(gap=round(host.score - partner.score, 2), km=round(distance, 1), cost=cost)


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
    free = [p for p in partners if p.key not in taken]
    network = _Network(hosts, free, room, set(excluded), weights, km)
    chosen = network.solve()
    for i, partner in enumerate(free):
        if i in chosen:
            host = hosts[chosen[i]]
            result.pairs.append(Pair(host, partner, terms(host, partner, weights, km)))
        else:
            reason = FULL if network.reachable[i] else NO_HOST
            result.unmatched.append(Unmatched(partner, reason))
    return result


class _Network:
    """The min-cost flow that pairs `partners` with `hosts`, small enough for the nation.

    A pair's cost is a host part + a partner part + a travel part that depends only on the
    two kab/kota, so partners need not be joined to every host: a partner flows to its
    kab/kota's node (paying its part), on to the node of a host kab/kota (paying the
    travel), and down to one of that kab/kota's hosts (paying the host's part). Two
    teachers of one kab/kota may share a school, so they are joined directly, leaving out
    the partner's own school; a partner the office excluded from some host is joined
    directly to each host it may have. Either way each route costs exactly its pair."""

    def __init__(self, hosts, partners, room, excluded, weights, km):
        self.hosts, self.partners, self.room = hosts, partners, room
        self.weights, self.km = weights, km
        self.excluded = excluded
        self.reachable = [False] * len(partners)
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.capacities: list[int] = []
        self.costs: list[int] = []
        self.nodes = len(partners) + len(hosts)
        self.class_nodes: dict[tuple, int] = {}
        self.travel: dict[tuple[str, str], int] = {}

    def node(self, key) -> int:
        if key not in self.class_nodes:
            self.class_nodes[key] = self.nodes
            self.nodes += 1
        return self.class_nodes[key]

    def arc(self, tail, head, capacity, cost) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.capacities.append(capacity)
        self.costs.append(cost)
        return len(self.tails) - 1

    def travel_cost(self, a: str, b: str) -> int:
        if (a, b) not in self.travel:
            self.travel[(a, b)] = travel_part(self.km(a, b), self.weights)
        return self.travel[(a, b)]

    def solve(self) -> dict[int, int]:
        """Partner index → host index of the optimal pairing."""
        partners, hosts, room, w = self.partners, self.hosts, self.room, self.weights
        if not partners:
            return {}
        host_node = {h.key: len(partners) + j for j, h in enumerate(hosts)}
        host_index = {h.key: j for j, h in enumerate(hosts)}
        by_place = defaultdict(list)  # (subject, level, kab/kota) → hosts with room
        by_kind = defaultdict(list)  # (subject, level) → every host
        for h in hosts:
            by_kind[(h.subject, h.jenjang)].append(h)
            if room[h.key] > 0:
                by_place[(h.subject, h.jenjang, h.regency)].append(h)
        places_of_kind = defaultdict(set)
        for subject, level, regency in by_place:
            places_of_kind[(subject, level)].add(regency)
        with_exclusions = {p for _h, p in self.excluded}
        direct: dict[int, tuple[int, int]] = {}  # arc → (partner, host)
        entry: dict[int, tuple[int, tuple]] = {}  # arc into a kab/kota node → (partner, node)
        demand = defaultdict(int)
        for i, p in enumerate(partners):
            kind = (p.subject, p.jenjang)
            own_part = partner_part(p, w)
            if p.key in with_exclusions:
                for h in by_kind.get(kind, ()):
                    if (h.key, p.key) in self.excluded or not allowed(h, p):
                        continue
                    self.reachable[i] = True
                    if room[h.key] > 0:
                        cost = own_part + host_part(h, w) + self.travel_cost(p.regency, h.regency)
                        direct[self.arc(i, host_node[h.key], 1, cost)] = (i, host_index[h.key])
                continue
            self.reachable[i] = any(allowed(h, p) for h in by_kind.get(kind, ()))
            for h in by_place.get((*kind, p.regency), ()):
                if allowed(h, p):
                    cost = own_part + host_part(h, w)
                    direct[self.arc(i, host_node[h.key], 1, cost)] = (i, host_index[h.key])
            if places_of_kind.get(kind, set()) - {p.regency}:
                node = self.node(("from", *kind, p.regency))
                entry[self.arc(i, node, 1, own_part)] = (i, ("from", *kind, p.regency))
                demand[("from", *kind, p.regency)] += 1
        across: dict[int, tuple[tuple, tuple]] = {}
        for key, count in demand.items():
            _from, subject, level, regency = key
            for there in places_of_kind[(subject, level)] - {regency}:
                to = ("to", subject, level, there)
                arc = self.arc(
                    self.node(key), self.node(to), count, self.travel_cost(regency, there)
                )
                across[arc] = (key, to)
        down: dict[int, tuple[tuple, int]] = {}
        for (subject, level, regency), place_hosts in by_place.items():
            to = ("to", subject, level, regency)
            if to not in self.class_nodes:
                continue
            for h in place_hosts:
                arc = self.arc(self.node(to), host_node[h.key], room[h.key], host_part(h, w))
                down[arc] = (to, host_index[h.key])
        sink = self.nodes
        for h in hosts:
            if room[h.key] > 0:
                self.arc(host_node[h.key], sink, room[h.key], 0)
        most = max(self.costs, default=0) * 3 + 1  # a pair crosses at most three arcs
        penalty = most * (len(partners) + 1)
        for i in range(len(partners)):
            self.arc(i, sink, 1, penalty)
        flows = self._run(sink)
        chosen = {i: j for arc, (i, j) in direct.items() if flows[arc]}
        waiting = defaultdict(list)  # kab/kota node → partners that entered it
        for arc, (i, key) in entry.items():
            if flows[arc]:
                waiting[key].append(i)
        arriving = defaultdict(list)  # host kab/kota node → partners bound there
        for arc, (key, to) in across.items():
            for _n in range(flows[arc]):
                arriving[to].append(waiting[key].pop())
        for arc, (to, j) in down.items():
            for _n in range(flows[arc]):
                chosen[arriving[to].pop()] = j
        return chosen

    def _run(self, sink: int):
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.array(self.tails, dtype=np.int32),
            np.array(self.heads, dtype=np.int32),
            np.array(self.capacities, dtype=np.int64),
            np.array(self.costs, dtype=np.int64),
        )
        supplies = np.zeros(sink + 1, dtype=np.int64)
        supplies[: len(self.partners)] = 1
        supplies[sink] = -len(self.partners)
        flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"The matching could not be solved (status {status}).")
        return flow.flows(arcs)
