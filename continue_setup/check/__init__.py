"""Validation: a config against our schemas and the rules Continue and Langdock enforce.

``validate`` (files and trees, the entry point), ``schema`` and ``schemacheck`` (the JSON
schemas, compiled), ``findings`` (what a check reports), ``fanout`` (large trees over
several processes) and ``rules/`` (the rule catalogue). May import ``config`` and below.
"""
