"""Running an Application without `run_polling`: for tests, the demo and benchmarks.

`run_polling` and `run_webhook` call the post-init and post-shutdown hooks themselves;
anything that drives the Application by hand must call them in the same order.
The garbage collector keeps CPython's defaults: freezing startup's objects and making
full collections rarer bought nothing measurable (`python -m bench --only bypasses`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from handlers.context import VigiaApp


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
