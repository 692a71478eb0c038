"""toloka-archive: archive Toloka pools from Python."""

__all__: list[str] = []
