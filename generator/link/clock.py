"""The build date: ``SOURCE_DATE_EPOCH`` when set, so builds reproduce."""

from __future__ import annotations

import datetime as dt
import os

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def build_date() -> dt.date:
    """Today in Vietnam, or the day of ``SOURCE_DATE_EPOCH``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), VIETNAM).date()
    return dt.datetime.now(VIETNAM).date()
