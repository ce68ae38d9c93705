"""OCOP catalogue compiler: load → validate → link → render → write.

The core (``load``, ``validate``, ``catalogue``) never imports MkDocs; ``plugin``
is the thin MkDocs adapter and ``cli`` the command line.
"""
