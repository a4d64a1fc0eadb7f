"""What ``init`` decides and writes: settings, templates, the plan, the merge and the writer.

``settings`` and ``orgsettings`` (the user's and the admin's choices), ``templates`` (the
bundled entries), ``merge`` (ours into theirs, theirs untouched), ``plan`` (what would be
written), ``drift`` (what changed) and ``writer`` (locks, backups, atomic writes). May import
``check``, ``config`` and below.
"""
