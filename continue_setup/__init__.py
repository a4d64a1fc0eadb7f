"""Set up, validate and smoke-test Continue (continue.dev) for the Langdock API gateway."""

__version__ = "0.1.0"
