"""A fake Langdock gateway for tests, benchmarks and demos: ``python -m continue_setup.fake``.

``api`` holds what Langdock answers (routes, model lists, bodies, stream events, errors);
``server`` serves it on 127.0.0.1 and misbehaves on request. Standard library only, and it
imports nothing else from this package, so any layer (and any test) may start it.
"""
