"""Running an Application without `run_polling`: for tests, the demo and benchmarks.

`run_polling` and `run_webhook` call the post-init and post-shutdown hooks themselves;
anything that drives the Application by hand must call them in the same order. Also
the garbage collector's setting for a long-running bot (`settle_garbage_collector`),
which the post-init and post-shutdown hooks apply and undo.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from handlers.context import VigiaApp

# CPython's default is (700, 10, 10): a full collection after ten middle ones.
_YOUNGEST = 700
_MIDDLE = 10
_OLDEST = 100


def settle_garbage_collector() -> None:
    """After startup: keep what startup built out of collections; collect fully less often.

    Without it a full collection walks every object of the process (modules, the
    duplicate index, catalogs, the Application) and stops the event loop for 0.1–0.3 s,
    longer the bigger the heap, several times a minute under a surge of families: the
    worst reply times are those pauses. Startup's objects live as long as the process,
    so they are frozen (`gc.freeze`); full collections of what is left come ten times
    less often. Reference counting still frees almost everything at once; only cycles
    wait for a collection.
    """
    gc.freeze()
    gc.set_threshold(_YOUNGEST, _MIDDLE, _OLDEST)


def release_garbage_collector() -> None:
    """At shutdown: undo `settle_garbage_collector`, so a stopped bot can be collected."""
    gc.unfreeze()
    gc.set_threshold(_YOUNGEST, _MIDDLE, _MIDDLE)


@asynccontextmanager
async def running(application: VigiaApp) -> AsyncIterator[VigiaApp]:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    try:
        yield application
    finally:
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
