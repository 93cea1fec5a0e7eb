from enum import Enum

class CapabilityIo(str, Enum):
    MANAGE_PLUGINS = "manage-plugins"
    MANAGE_SECRET = "manage-secret"
    MANAGE_SUBSCRIPTIONS = "manage-subscriptions"
    RETRY = "retry"
    VIEW = "view"
    VIEW_SECRET = "view-secret"

    def __str__(self) -> str:
        return str(self.value)
