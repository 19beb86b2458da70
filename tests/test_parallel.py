"""Work shared over processes: results in order, errors of any share reported as the user sees them."""

from __future__ import annotations

import os
from typing import Sequence

import pytest

from litdigest.errors import LitdigestError, Problem
from litdigest.build.parallel import fork_map, split


def test_shares_are_balanced_and_keep_their_order() -> None:
    items = list(range(20))
    weights = [10.0 if i % 5 == 0 else 1.0 for i in items]
    shares = split(items, weights, 3)
    assert sorted(i for share in shares for i in share) == items
    assert all(share == sorted(share) for share in shares)
    loads = [sum(weights[i] for i in share) for share in shares]
    assert max(loads) - min(loads) <= 10


def test_results_come_back_in_share_order_from_other_processes() -> None:
    def work(number: int, share: Sequence[int]) -> tuple[int, int, list[int]]:
        return number, os.getpid(), [i * i for i in share]

    results = fork_map(work, [[1, 2], [3], [4, 5, 6]])
    assert [r[0] for r in results] == [0, 1, 2]
    assert [r[2] for r in results] == [[1, 4], [9], [16, 25, 36]]
    assert results[0][1] == os.getpid() and len({r[1] for r in results}) == 3


def test_a_users_mistake_in_a_child_is_reported_as_one() -> None:
    def work(number: int, share: Sequence[int]) -> int:
        if number == 1:
            raise LitdigestError(Problem("content/papers/x.md", 3, "broken", "fix it"))
        return 0

    with pytest.raises(LitdigestError) as err:
        fork_map(work, [[1], [2]])
    assert str(err.value) == "content/papers/x.md:3: broken — fix it"


def test_a_crash_in_a_child_is_not_hidden() -> None:
    def work(number: int, share: Sequence[int]) -> int:
        return 1 // (number - 1)

    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fork_map(work, [[1], [2]])
