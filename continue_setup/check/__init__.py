"""Validation: a config against our schemas and the rules Continue and Langdock enforce.

``validate`` (files and trees, the entry point), ``schema`` and ``schemacheck`` (the JSON
schemas, compiled), ``findings`` (what a check reports), ``workqueue`` (large trees over
several processes; ``fanout`` says how many), ``isdir`` and ``shared`` (their helpers) and
``rules/`` (the rule catalogue). May import ``config`` and below.
"""
