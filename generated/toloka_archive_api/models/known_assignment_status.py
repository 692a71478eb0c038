from enum import StrEnum


class KnownAssignmentStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REJECTED = "REJECTED"
    SKIPPED = "SKIPPED"
    SUBMITTED = "SUBMITTED"

    def __str__(self) -> str:
        return str(self.value)
