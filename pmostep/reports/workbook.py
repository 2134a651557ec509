"""Being built (issue 13)."""


def build(c) -> bytes:
    raise NotImplementedError
