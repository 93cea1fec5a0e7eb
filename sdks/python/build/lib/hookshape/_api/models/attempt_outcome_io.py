from enum import Enum

class AttemptOutcomeIo(str, Enum):
    DROPPED = "dropped"
    FAILED = "failed"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
