from enum import Enum

class RoleIo(str, Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    PUBLISHER = "publisher"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
