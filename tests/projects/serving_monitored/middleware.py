from prometheus_client import Histogram

LATENCY = Histogram("predict_latency_seconds", "prediction latency")


def install_metrics(app):
    @app.middleware("http")
    async def timed(request, call_next):
        with LATENCY.time():
            return await call_next(request)
