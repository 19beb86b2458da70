"""Run independent shares of work on every core, with the same results as running them in turn.

The work is split into shares; share 0 runs in this process and each other share in a child made
with `fork`, so the children see this process's memory (the loaded library, the templates) without
copying or pickling it. Only a share's small result travels back, pickled through a pipe. Where
there is no `fork` (Windows), or one core, or one share, everything runs here, in order.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import traceback
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from litdigest.errors import LitdigestError, Problem

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "LITDIGEST_JOBS"


def cpu_count() -> int:
    """How many processes a build may use: `LITDIGEST_JOBS` if set, else the usable cores."""
    wanted = os.environ.get(JOBS_VARIABLE, "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork")


def split(items: Sequence[T], weights: Sequence[float], shares: int,
          preload: Sequence[float] = ()) -> list[list[T]]:
    """Deal items into `shares` lists of about equal total weight, keeping each list in order.
    `preload[k]` is work share k has besides its items."""
    shares = max(1, min(shares, len(items)))
    if shares == 1:
        return [list(items)]
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    loads = [float(preload[k]) if k < len(preload) else 0.0 for k in range(shares)]
    owner = [0] * len(items)
    for i in order:  # heaviest first, each to the lightest share so far
        share = loads.index(min(loads))
        owner[i] = share
        loads[share] += weights[i]
    dealt: list[list[T]] = [[] for _ in range(shares)]
    for i, item in enumerate(items):
        dealt[owner[i]].append(item)
    return dealt


@dataclass(frozen=True)
class _Failure:
    """What a child sends back instead of a result when its share failed."""

    problems: tuple[Problem, ...]
    trace: str
    interrupted: bool = False  # the child was interrupted: so is the work


def fork_map(work: Callable[[int, Sequence[T]], R], shares: Sequence[Sequence[T]]) -> list[R]:
    """`[work(number, share) for number, share in enumerate(shares)]`, share 0 in this process
    and the others in forked children."""
    if len(shares) <= 1 or not can_fork():
        return [work(number, share) for number, share in enumerate(shares)]
    gc.freeze()  # what exists now is shared: no collector pass in a child should touch (copy) it
    try:
        children = [_start(work, number, share) for number, share in enumerate(shares) if number]
        try:
            first = work(0, shares[0])
            rest = [_collect(pid, fd) for pid, fd in children]
        except BaseException:
            for pid, fd in children:
                _stop(pid, fd)
            raise
    finally:
        gc.unfreeze()
    return [first, *rest]


def start_in_child(work: Callable[[], None], deaf_to_ctrl_c: bool = False) -> int | None:
    """Run `work` in a forked child and return the child's pid at once, without waiting for it;
    where there is no `fork`, run it here and return None. The child leaves without cleanups,
    with status 1 if `work` raised; `deaf_to_ctrl_c`: a Ctrl-C at the terminal, which reaches
    the whole process group, does not cut its work short (the parent waits for it instead)."""
    if not can_fork():
        work()
        return None
    pid = os.fork()
    if pid == 0:
        if deaf_to_ctrl_c:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 - the parent sees the status
            code = 1
        os._exit(code)
    return pid


def _start(work: Callable[[int, Sequence[T]], R], number: int, share: Sequence[T]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the share, send the result, leave without running cleanups
        os.close(read_end)
        gc.enable()  # whatever the parent chose for itself, a child cleans up after its share
        code = 0
        try:
            payload = pickle.dumps(work(number, share), protocol=pickle.HIGHEST_PROTOCOL)
        except LitdigestError as err:
            payload = pickle.dumps(_Failure(tuple(err.problems), ""))
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM reached the whole process group
            payload = pickle.dumps(_Failure((), "", interrupted=True))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            payload = pickle.dumps(_Failure((), traceback.format_exc()))
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001 - the parent sees the short read
            code = 1
        os._exit(code)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, fd: int) -> R:
    with os.fdopen(fd, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError(f"a build worker stopped without a result (status {status})")
    # Pickle is safe here: the bytes come from this process's own forked child through a pipe
    # made for it, never from a file; nothing read from disk is ever unpickled (store.py).
    result = pickle.loads(payload)
    if isinstance(result, _Failure):
        if result.interrupted:
            raise KeyboardInterrupt
        if result.problems:
            raise LitdigestError(list(result.problems))
        raise RuntimeError(f"a build worker failed:\n{result.trace}")
    return result  # type: ignore[no-any-return]


def _stop(pid: int, fd: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.close(fd)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
