from enum import StrEnum


class KnownTrainingStatus(StrEnum):
    ARCHIVED = "ARCHIVED"
    CLOSED = "CLOSED"
    LOCKED = "LOCKED"
    OPEN = "OPEN"

    def __str__(self) -> str:
        return str(self.value)
