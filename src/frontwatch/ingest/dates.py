"""Publication dates given by users or read from metadata, normalised to ISO 8601."""

from __future__ import annotations

from datetime import UTC, date, datetime

from frontwatch.errors import InputError


def normalise_published(value: object, *, where: str | None = None) -> str | None:
    """ISO date (YYYY-MM-DD) or UTC date-time (YYYY-MM-DDTHH:MM:SSZ); None when absent.

    Date-times with an offset are converted to UTC; naive date-times are taken as UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        return value.isoformat()
    elif isinstance(value, int | float):
        dt = datetime.fromtimestamp(float(value), tz=UTC)
    else:
        s = str(value).strip()
        if len(s) == 10:
            try:
                return date.fromisoformat(s).isoformat()
            except ValueError as e:
                raise InputError(f"publication date {s!r} is not an ISO date (YYYY-MM-DD)", path=where) from e
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError as e:
            raise InputError(
                f"publication date {s!r} is not an ISO date or date-time (e.g. 2025-01-06 or 2025-01-06T08:30:00Z)",
                path=where,
            ) from e
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0).isoformat() + "Z"
