from enum import Enum

class SchemeIo(str, Enum):
    BODY_SIGNATURE = "body-signature"
    HEX_HMAC = "hex-hmac"
    STANDARD_WEBHOOKS = "standard-webhooks"
    TIMESTAMPED_HMAC = "timestamped-hmac"

    def __str__(self) -> str:
        return str(self.value)
