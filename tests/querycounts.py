"""Counting a page's queries, for the tests that a list costs the same however many rows
it shows: measure, grow the rows, measure again, and compare with `grew`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, url) -> int:
    """The queries one GET of `url` runs, after a first GET warmed the session and caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen.captured_queries)


def measure(client, pages: dict) -> dict:
    """{(username, url): queries} for each user's URLs ({user: [url, ...]})."""
    counts = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            counts[user.username, url] = queries(client, url)
    return counts


def grew(before: dict, after: dict) -> dict:
    """The pages whose queries grew, with (before, after); empty when none did."""
    return {k: (before[k], after[k]) for k in before if after[k] > before[k]}
