import time

from prometheus_client import Histogram

LATENCY = Histogram("request_latency_seconds", "request latency")


async def timed(request, call_next):
    start = time.perf_counter()
    response = await call_next(request)
    LATENCY.observe(time.perf_counter() - start)
    return response
