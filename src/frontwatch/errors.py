"""One catalogue of errors. Messages say what went wrong and what to do."""


class FrontwatchError(Exception):
    """Base of every error frontwatch raises on purpose."""


class InputError(FrontwatchError):
    """A report could not be read. Names the file (and line) and the problem."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.reason = message


class StageError(FrontwatchError):
    """A pipeline stage failed on one document."""

    def __init__(self, stage: str, doc_id: str, cause: BaseException):
        self.stage = stage
        self.doc_id = doc_id
        super().__init__(f"stage {stage!r} failed on document {doc_id!r}: {type(cause).__name__}: {cause}")


class StoreError(FrontwatchError):
    """The store could not be opened, migrated or written."""


class FetchError(FrontwatchError):
    """A URL could not be fetched (refused, timed out, too large, wrong type)."""


class GazetteerError(FrontwatchError):
    """The gazetteer could not be built, imported or read."""


class SettingsError(FrontwatchError):
    """A setting has an invalid value."""
