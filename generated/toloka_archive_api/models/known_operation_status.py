from enum import StrEnum


class KnownOperationStatus(StrEnum):
    FAIL = "FAIL"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
