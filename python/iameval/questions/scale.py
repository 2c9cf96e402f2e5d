"""Running a question over many principals: in this process, in local worker processes, or on a Dask cluster.

A *question* here is a picklable callable ``question(env, principal_arns) -> Answers`` (a module-level function
or a ``functools.partial`` of one, such as ``functools.partial(can_each, action="s3:GetObject",
resource="*")``). :func:`run` cuts the principals into chunks, answers each chunk, and concatenates the answers
**in chunk order**, so the result is the same row for row whichever way it ran:

- ``workers=None`` or ``1``: in this process.
- ``workers=N``: N local processes. They are started with ``spawn`` (not ``fork``: a forked child of a process
  that runs threads, as the engine's batch calls do, can deadlock), each receives the environment once
  (pickled; compiled policy sets are rebuilt on first use), then only the ARNs of its chunks.
- ``client=``: a ``dask.distributed.Client``, or a scheduler address (``tcp://scheduler:8786``) for which a
  client is opened and closed. The environment is scattered to every worker once (broadcast); each chunk's
  answers come back as an Arrow table (:meth:`Answers.to_arrow`) with the principals not evaluated.

Ctrl-C stops a run within about a second: pending chunks are cancelled and ``KeyboardInterrupt`` is raised.
``progress(n)`` is called with the number of principals of each finished chunk.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from iameval.questions.answer import Answers
from iameval.questions.environment import Environment

__all__ = ["Question", "chunks_of", "run"]

Question = Callable[[Environment, Sequence[str]], Answers]

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


def run(env: Environment, question: Question, principals: Sequence[str] | None = None, *,
        workers: int | None = None, client: Any = None, chunk_size: int | None = None,
        progress: Callable[[int], None] | None = None) -> Answers:
    """The answers of ``question`` for ``principals`` (ARNs; default every principal of ``env``), computed in
    chunks here, on ``workers`` local processes, or on the Dask cluster of ``client`` (module docstring)."""
    arns = [p.arn for p in env.principals] if principals is None else list(principals)
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if client is not None:
        return _on_dask(env, question, arns, client, chunk_size, progress)
    if workers is None or workers == 1:
        parts = []
        for chunk in chunks_of(arns, 1, chunk_size):
            parts.append(question(env, chunk))
            if progress is not None:
                progress(len(chunk))
        return Answers.concat(parts)
    return _on_processes(env, question, arns, workers, chunk_size, progress)


def _install(env_bytes: bytes) -> None:
    global _WORKER_ENV
    _WORKER_ENV = pickle.loads(env_bytes)


def _answer_chunk(question: Question, chunk: Sequence[str]) -> Answers:
    if _WORKER_ENV is None:  # pragma: no cover - only when the pool's initializer did not run
        raise RuntimeError("worker process without an environment")
    return question(_WORKER_ENV, chunk)


def _on_processes(env: Environment, question: Question, arns: Sequence[str], workers: int,
                  chunk_size: int | None, progress: Callable[[int], None] | None) -> Answers:
    chunks = chunks_of(arns, workers, chunk_size)
    if not chunks:
        return Answers()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context,
                               initializer=_install, initargs=(pickle.dumps(env),))
    results: dict[int, Answers] = {}
    try:
        futures: dict[Future[Answers], int] = {pool.submit(_answer_chunk, question, c): i
                                               for i, c in enumerate(chunks)}
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
    return Answers.concat([results[i] for i in range(len(chunks))])


def _dask_chunk(question: Question, env: Environment, chunk: Sequence[str]) -> tuple[Any, list[tuple[str, str]]]:
    answers = question(env, chunk)
    return answers.to_arrow(), list(answers.not_evaluated)


def _on_dask(env: Environment, question: Question, arns: Sequence[str], client: Any, chunk_size: int | None,
             progress: Callable[[int], None] | None) -> Answers:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("running on Dask needs dask.distributed: pip install 'iameval[dask]'") from exc
    own = isinstance(client, str)
    dask = Client(client) if own else client  # type: ignore[no-untyped-call]
    try:
        workers = max(1, len(dask.scheduler_info().get("workers", {})))
        chunks = chunks_of(arns, workers, chunk_size)
        if not chunks:
            return Answers()
        scattered = dask.scatter(env, broadcast=True)
        futures = [dask.submit(_dask_chunk, question, scattered, chunk, pure=False) for chunk in chunks]
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, Answers] = {}
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                table, not_evaluated = future.result()
                i = index[future.key]
                results[i] = Answers.from_arrow(table, not_evaluated)
                if progress is not None:
                    progress(len(chunks[i]))
        except BaseException:
            dask.cancel(futures)
            raise
        return Answers.concat([results[i] for i in range(len(chunks))])
    finally:
        if own:
            dask.close()
