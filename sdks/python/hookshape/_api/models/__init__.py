""" Contains all the data models used in inputs/outputs """

from .answer_in import AnswerIn
from .attempt_error_out import AttemptErrorOut
from .attempt_out import AttemptOut
from .attempt_outcome_io import AttemptOutcomeIo
from .batch_io import BatchIo
from .branding_io import BrandingIo
from .candidate_in import CandidateIn
from .candidate_out import CandidateOut
from .candidate_report import CandidateReport
from .candidate_report_counts import CandidateReportCounts
from .candidate_report_differences_item import CandidateReportDifferencesItem
from .capability_io import CapabilityIo
from .circuit_out import CircuitOut
from .delivery_detail_out import DeliveryDetailOut
from .delivery_out import DeliveryOut
from .delivery_status_io import DeliveryStatusIo
from .error_body import ErrorBody
from .event_accepted import EventAccepted
from .event_in import EventIn
from .event_out import EventOut
from .event_type_in import EventTypeIn
from .event_type_in_example_type_0 import EventTypeInExampleType0
from .event_type_in_schema_type_0 import EventTypeInSchemaType0
from .event_type_out import EventTypeOut
from .event_type_out_example_type_0 import EventTypeOutExampleType0
from .event_type_out_schema_type_0 import EventTypeOutSchemaType0
from .event_type_patch import EventTypePatch
from .event_type_patch_example_type_0 import EventTypePatchExampleType0
from .event_type_patch_schema_type_0 import EventTypePatchSchemaType0
from .expire_all_in import ExpireAllIn
from .expired_out import ExpiredOut
from .failure_out import FailureOut
from .health_out import HealthOut
from .import_body import ImportBody
from .import_in_workspace_body import ImportInWorkspaceBody
from .import_out import ImportOut
from .limits_io import LimitsIo
from .list_out_delivery_out import ListOutDeliveryOut
from .list_out_delivery_out_data_item import ListOutDeliveryOutDataItem
from .list_out_event_out import ListOutEventOut
from .list_out_event_out_data_item import ListOutEventOutDataItem
from .list_out_event_type_out import ListOutEventTypeOut
from .list_out_event_type_out_data_item import ListOutEventTypeOutDataItem
from .list_out_event_type_out_data_item_example_type_0 import ListOutEventTypeOutDataItemExampleType0
from .list_out_event_type_out_data_item_schema_type_0 import ListOutEventTypeOutDataItemSchemaType0
from .list_out_plugin_out import ListOutPluginOut
from .list_out_plugin_out_data_item import ListOutPluginOutDataItem
from .list_out_subscription_out import ListOutSubscriptionOut
from .list_out_subscription_out_data_item import ListOutSubscriptionOutDataItem
from .list_out_subscription_out_data_item_metadata import ListOutSubscriptionOutDataItemMetadata
from .list_out_token_out import ListOutTokenOut
from .list_out_token_out_data_item import ListOutTokenOutDataItem
from .list_out_workspace_out import ListOutWorkspaceOut
from .list_out_workspace_out_data_item import ListOutWorkspaceOutDataItem
from .list_out_workspace_out_data_item_metadata import ListOutWorkspaceOutDataItemMetadata
from .log_line_out import LogLineOut
from .me_out import MeOut
from .ordering_io import OrderingIo
from .plugin_change_out import PluginChangeOut
from .plugin_out import PluginOut
from .plugin_ref_io import PluginRefIo
from .portal_link_in import PortalLinkIn
from .portal_link_out import PortalLinkOut
from .previous_secret_out import PreviousSecretOut
from .rate_limit_io import RateLimitIo
from .recover_in import RecoverIn
from .recover_out import RecoverOut
from .relayed_list import RelayedList
from .relayed_out import RelayedOut
from .request_out import RequestOut
from .response_out import ResponseOut
from .retry_io import RetryIo
from .role_io import RoleIo
from .rotate_in import RotateIn
from .run_event_in import RunEventIn
from .run_event_in_object import RunEventInObject
from .run_event_in_previous_type_0 import RunEventInPreviousType0
from .run_in import RunIn
from .run_in_config_type_0 import RunInConfigType0
from .run_out import RunOut
from .scheme_io import SchemeIo
from .secret_out import SecretOut
from .signing_io import SigningIo
from .status_io import StatusIo
from .subscription_in import SubscriptionIn
from .subscription_in_headers import SubscriptionInHeaders
from .subscription_in_metadata import SubscriptionInMetadata
from .subscription_out import SubscriptionOut
from .subscription_out_metadata import SubscriptionOutMetadata
from .subscription_patch import SubscriptionPatch
from .subscription_patch_headers_type_0 import SubscriptionPatchHeadersType0
from .subscription_patch_metadata_type_0 import SubscriptionPatchMetadataType0
from .test_in import TestIn
from .token_in import TokenIn
from .token_out import TokenOut
from .window_out import WindowOut
from .workspace_in import WorkspaceIn
from .workspace_in_metadata import WorkspaceInMetadata
from .workspace_out import WorkspaceOut
from .workspace_out_metadata import WorkspaceOutMetadata
from .workspace_patch import WorkspacePatch
from .workspace_patch_metadata_type_0 import WorkspacePatchMetadataType0

__all__ = (
    "AnswerIn",
    "AttemptErrorOut",
    "AttemptOut",
    "AttemptOutcomeIo",
    "BatchIo",
    "BrandingIo",
    "CandidateIn",
    "CandidateOut",
    "CandidateReport",
    "CandidateReportCounts",
    "CandidateReportDifferencesItem",
    "CapabilityIo",
    "CircuitOut",
    "DeliveryDetailOut",
    "DeliveryOut",
    "DeliveryStatusIo",
    "ErrorBody",
    "EventAccepted",
    "EventIn",
    "EventOut",
    "EventTypeIn",
    "EventTypeInExampleType0",
    "EventTypeInSchemaType0",
    "EventTypeOut",
    "EventTypeOutExampleType0",
    "EventTypeOutSchemaType0",
    "EventTypePatch",
    "EventTypePatchExampleType0",
    "EventTypePatchSchemaType0",
    "ExpireAllIn",
    "ExpiredOut",
    "FailureOut",
    "HealthOut",
    "ImportBody",
    "ImportInWorkspaceBody",
    "ImportOut",
    "LimitsIo",
    "ListOutDeliveryOut",
    "ListOutDeliveryOutDataItem",
    "ListOutEventOut",
    "ListOutEventOutDataItem",
    "ListOutEventTypeOut",
    "ListOutEventTypeOutDataItem",
    "ListOutEventTypeOutDataItemExampleType0",
    "ListOutEventTypeOutDataItemSchemaType0",
    "ListOutPluginOut",
    "ListOutPluginOutDataItem",
    "ListOutSubscriptionOut",
    "ListOutSubscriptionOutDataItem",
    "ListOutSubscriptionOutDataItemMetadata",
    "ListOutTokenOut",
    "ListOutTokenOutDataItem",
    "ListOutWorkspaceOut",
    "ListOutWorkspaceOutDataItem",
    "ListOutWorkspaceOutDataItemMetadata",
    "LogLineOut",
    "MeOut",
    "OrderingIo",
    "PluginChangeOut",
    "PluginOut",
    "PluginRefIo",
    "PortalLinkIn",
    "PortalLinkOut",
    "PreviousSecretOut",
    "RateLimitIo",
    "RecoverIn",
    "RecoverOut",
    "RelayedList",
    "RelayedOut",
    "RequestOut",
    "ResponseOut",
    "RetryIo",
    "RoleIo",
    "RotateIn",
    "RunEventIn",
    "RunEventInObject",
    "RunEventInPreviousType0",
    "RunIn",
    "RunInConfigType0",
    "RunOut",
    "SchemeIo",
    "SecretOut",
    "SigningIo",
    "StatusIo",
    "SubscriptionIn",
    "SubscriptionInHeaders",
    "SubscriptionInMetadata",
    "SubscriptionOut",
    "SubscriptionOutMetadata",
    "SubscriptionPatch",
    "SubscriptionPatchHeadersType0",
    "SubscriptionPatchMetadataType0",
    "TestIn",
    "TokenIn",
    "TokenOut",
    "WindowOut",
    "WorkspaceIn",
    "WorkspaceInMetadata",
    "WorkspaceOut",
    "WorkspaceOutMetadata",
    "WorkspacePatch",
    "WorkspacePatchMetadataType0",
)
