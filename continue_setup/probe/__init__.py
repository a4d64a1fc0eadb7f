"""Everything that talks HTTP: smoke tests of the configured endpoints and model lists.

``targets`` (what to probe, from a config), ``probes`` (the requests Continue sends, run
concurrently), ``transport`` (the one HTTP client: timeouts, caps, TLS), ``verdicts`` (one
typed outcome per probe) and ``modellists`` (what a key may use). May import ``setup``,
``check``, ``config`` and below.
"""
