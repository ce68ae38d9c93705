"""OCOP catalogue compiler: source → link → plan → render → write.

Each stage is a package of its own (see ARCHITECTURE.md); ``pipeline`` runs the
first two in one call. Only ``adapter`` knows MkDocs; ``cli`` is the ``ocop``
command.
"""
