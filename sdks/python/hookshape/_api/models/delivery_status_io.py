from enum import Enum

class DeliveryStatusIo(str, Enum):
    DROPPED = "dropped"
    FAILED = "failed"
    PENDING = "pending"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
