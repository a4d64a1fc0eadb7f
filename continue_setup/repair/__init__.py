"""Diagnosis and repair: ``doctor``, its mechanical ``fixes``, and ``migrate`` to config.yaml.

Compositions of the rooms below (checks, probes, plans and the writer), no new machinery.
May import ``probe``, ``setup``, ``check``, ``config`` and below.
"""
