"""Being built (issue 13)."""


def build(c) -> bytes:
    raise NotImplementedError


def pdf(c, paper: str = "A4") -> bytes:
    raise NotImplementedError
