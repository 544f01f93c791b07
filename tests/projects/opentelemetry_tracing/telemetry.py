from opentelemetry import trace

tracer = trace.get_tracer("scoring")
