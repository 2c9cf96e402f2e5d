"""Running a question over many principals: in this process, in local worker processes, or on a Dask cluster.

A *question* here is a picklable callable ``question(env, principal_arns) -> R`` (a module-level function or a
``functools.partial`` of one, such as ``functools.partial(can_each, action="s3:GetObject", resource="*")``),
where ``R`` has a ``concat(parts)`` class method: :class:`Answers`, or ``privesc``'s ``Findings``
(:func:`~iameval.questions.who_can.who_can_chunk`, :func:`~iameval.questions.privesc.privesc_chunk`).
:func:`run` cuts the principals into chunks, answers each chunk, and concatenates the answers **in chunk
order**, so the result is the same row for row whichever way it ran:

- ``workers=None`` or ``1``: in this process.
- ``workers=N``: N local processes. They are started with ``spawn`` (not ``fork``: a forked child of a process
  that runs threads, as the engine's batch calls do, can deadlock), each receives the environment once
  (pickled; compiled policy sets are rebuilt on first use), then only the ARNs of its chunks.
- ``client=``: a ``dask.distributed.Client``, or a scheduler address (``tcp://scheduler:8786``) for which a
  client is opened and closed. The environment is scattered, pickled, to every worker once (broadcast) and
  unpickled there once per run, so compiled policy sets are reused by the chunks of a worker; each chunk's
  :class:`Answers` come back as an Arrow table (:meth:`Answers.to_arrow`) with the principals not evaluated
  (other results as Dask pickles them).

Ctrl-C stops a run within about a second: pending chunks are cancelled and ``KeyboardInterrupt`` is raised.
``progress(n)`` is called with the number of principals of each finished chunk.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from iameval.questions.answer import Answers
from iameval.questions.environment import Environment

__all__ = ["chunks_of", "run"]



class _Result(Protocol):
    @classmethod
    def concat(cls: type[R], parts: Sequence[R]) -> R: ...


R = TypeVar("R", bound=_Result)

#: the environment of a worker process (set once by the pool's initializer)
_WORKER_ENV: Environment | None = None


def chunks_of(items: Sequence[str], parts: int, chunk_size: int | None = None) -> list[tuple[str, ...]]:
    """``items`` cut into consecutive chunks: of ``chunk_size`` when given, else about four per part."""
    if not items:
        return []
    size = chunk_size if chunk_size is not None else max(1, math.ceil(len(items) / (max(1, parts) * 4)))
    if size < 1:
        raise ValueError("chunk_size must be at least 1")
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def run(env: Environment, question: Callable[[Environment, Sequence[str]], R],
        items: Sequence[str] | None = None, *, workers: int | None = None, client: Any = None,
        chunk_size: int | None = None, progress: Callable[[int], None] | None = None,
        empty: R | None = None) -> R:
    """The answers of ``question`` for ``items`` (default: the ARN of every principal of ``env``; any list the
    question partitions on, such as resource ARNs for ``external_access`` or actions for ``what_can``),
    computed in chunks here, on ``workers`` local processes, or on the Dask cluster of ``client`` (module
    docstring). ``empty``: the result when there is no item (default ``Answers()``)."""
    arns = [p.arn for p in env.principals] if items is None else list(items)
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if not arns:
        return empty if empty is not None else Answers()  # type: ignore[return-value]
    if client is not None:
        return _on_dask(env, question, arns, client, chunk_size, progress)
    if workers is None or workers == 1:
        parts: list[R] = []
        for chunk in chunks_of(arns, 1, chunk_size):
            parts.append(question(env, chunk))
            if progress is not None:
                progress(len(chunk))
        return type(parts[0]).concat(parts)
    return _on_processes(env, question, arns, workers, chunk_size, progress)


def _install(env_bytes: bytes) -> None:
    global _WORKER_ENV
    _WORKER_ENV = pickle.loads(env_bytes)


def _answer_chunk(question: Callable[[Environment, Sequence[str]], R], chunk: Sequence[str]) -> R:
    if _WORKER_ENV is None:  # pragma: no cover - only when the pool's initializer did not run
        raise RuntimeError("worker process without an environment")
    return question(_WORKER_ENV, chunk)


def _on_processes(env: Environment, question: Callable[[Environment, Sequence[str]], R], arns: Sequence[str],
                  workers: int, chunk_size: int | None, progress: Callable[[int], None] | None) -> R:
    chunks = chunks_of(arns, workers, chunk_size)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context,
                               initializer=_install, initargs=(pickle.dumps(env),))
    results: dict[int, R] = {}
    try:
        futures: dict[Future[R], int] = {pool.submit(_answer_chunk, question, c): i for i, c in enumerate(chunks)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                index = futures[future]
                results[index] = future.result()
                if progress is not None:
                    progress(len(chunks[index]))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    ordered = [results[i] for i in range(len(chunks))]
    return type(ordered[0]).concat(ordered)


#: the environments a Dask worker has unpickled, by token (the last few runs' only)
_DASK_ENVS: dict[str, Environment] = {}
_DASK_ENVS_LOCK = threading.Lock()


def _dask_environment(token: str, data: bytes) -> Environment:
    """The environment of a run on this Dask worker, unpickled by the first of its chunks here."""
    with _DASK_ENVS_LOCK:
        env = _DASK_ENVS.get(token)
        if env is None:
            env = pickle.loads(data)
            while len(_DASK_ENVS) >= 4:
                _DASK_ENVS.pop(next(iter(_DASK_ENVS)))
            _DASK_ENVS[token] = env
        return env


def _dask_chunk(question: Callable[[Environment, Sequence[str]], Any], payload: tuple[str, bytes],
                chunk: Sequence[str]) -> tuple[str, Any, list[tuple[str, str]]]:
    answers = question(_dask_environment(*payload), chunk)
    if isinstance(answers, Answers):
        return "arrow", answers.to_arrow(), list(answers.not_evaluated)
    return "object", answers, []


def _on_dask(env: Environment, question: Callable[[Environment, Sequence[str]], R], arns: Sequence[str],
             client: Any, chunk_size: int | None, progress: Callable[[int], None] | None) -> R:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("running on Dask needs dask.distributed: pip install 'iameval[dask]'") from exc
    own = isinstance(client, str)
    dask = Client(client) if own else client  # type: ignore[no-untyped-call]
    try:
        addresses = sorted(dask.scheduler_info().get("workers", {}))
        chunks = chunks_of(arns, max(1, len(addresses)), chunk_size)
        # the environment travels pickled once (Dask's own serialization walks the many small policy
        # documents: ten seconds for 4,000 principals against 0.1 for pickle) and is unpickled once per worker
        scattered = dask.scatter((uuid.uuid4().hex, pickle.dumps(env)), broadcast=True)
        # chunks are dealt round-robin to the workers (each holds the environment): left to itself the scheduler
        # puts every task where the environment landed first and, the environment being large, does not steal
        futures = [dask.submit(_dask_chunk, question, scattered, chunk, pure=False,
                               workers=[addresses[i % len(addresses)]] if addresses else None,
                               allow_other_workers=True)
                   for i, chunk in enumerate(chunks)]
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, Any] = {}
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                how, payload, not_evaluated = future.result()
                i = index[future.key]
                results[i] = Answers.from_arrow(payload, not_evaluated) if how == "arrow" else payload
                if progress is not None:
                    progress(len(chunks[i]))
        except BaseException:
            dask.cancel(futures)
            raise
        ordered = [results[i] for i in range(len(chunks))]
        return type(ordered[0]).concat(ordered)  # type: ignore[no-any-return]
    finally:
        if own:
            dask.close()
