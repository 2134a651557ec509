from pmostep.core.errors import PMOStepError

"""The one error a file that cannot be read raises, shared by the readers."""


class ImportFileError(PMOStepError):
    """A file that cannot be read, with the reason in words."""
