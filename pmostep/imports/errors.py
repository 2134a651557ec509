"""The one error a file that cannot be read raises, shared by the readers."""


class ImportFileError(ValueError):
    """A file that cannot be read, with the reason in words."""
