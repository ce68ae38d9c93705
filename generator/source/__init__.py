"""Stages 1–2, read and validate: staff's files on disk → typed records.

Nothing here knows about other records (that is ``link``) or about pages.
"""
