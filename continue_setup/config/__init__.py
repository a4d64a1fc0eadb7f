"""A Continue config as data: where Continue looks, reading, parsing, editing, keys, masking.

``paths`` (which folder and file Continue loads), ``parsing`` with ``jsonc`` and ``fastyaml``
(JSONC and YAML with positions), ``jsonc_edit`` (edits that keep comments), ``entries`` (the
model-entry view; ``urls`` takes an apiBase apart), ``convert`` (config.json to config.yaml),
``keys`` (API keys, ``.env`` and secret references) and ``redact`` (the one masker). No I/O
policy and no verdicts live here. May import only ``errors`` and ``resources``.
"""
