"""Every domain at scale (`gugus seed --scale kabupaten|provinsi|nasional`): grants,
partnership cohorts, performance cycles and training written as rows, a kab/kota or a
province per transaction, so a national seed takes minutes and flat memory.

The demo scale replays its stories through the services instead (`gugus.demo.grants`
and its neighbours), where every rule is exercised; these generators write the same
shapes those services leave behind (statuses, reviews, spending, stages, certificates),
checked against the services' own pages and rules by `tests/demo/test_bulk_domains.py`.
"""

from collections.abc import Callable

from gugus.demo.bulk.grants import GrantGenerator
from gugus.demo.bulk.partnership import CohortGenerator
from gugus.demo.bulk.performance import PerformanceGenerator
from gugus.demo.bulk.training import TrainingGenerator


def fill(
    regency_codes: list[str], seed: int = 1, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Grants, partnership, performance and training for the kab/kota given, after their
    schools, people, groups and UKG results exist."""
    counts: dict[str, int] = {}
    for generator in (GrantGenerator, CohortGenerator, PerformanceGenerator, TrainingGenerator):
        written = generator(seed=seed).run(regency_codes)
        log(", ".join(f"{n:,} {table}" for table, n in sorted(written.items())))
        counts.update(written)
    return counts
