from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.candidate_report_differences_item import CandidateReportDifferencesItem
  from ..models.candidate_out import CandidateOut
  from ..models.candidate_report_counts import CandidateReportCounts





T = TypeVar("T", bound="CandidateReport")



@_attrs_define
class CandidateReport:
    """ How a candidate's output compares with the current plugin's.

        Attributes:
            candidate (CandidateOut): A subscription's candidate plugin.
            counts (CandidateReportCounts): Comparisons since the candidate started, on the node that answers: `match`,
                `differ`, `candidate_error`, `candidate_dropped`, `current_failed`, `skipped` (too
                many comparisons were waiting) and `canary` (sent with the candidate's output).
            differences (list['CandidateReportDifferencesItem']): The last differences (up to 20), oldest first, each with
                both outputs and the changed
                places as JSON pointers.
     """

    candidate: 'CandidateOut'
    counts: 'CandidateReportCounts'
    differences: list['CandidateReportDifferencesItem']
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.candidate_report_differences_item import CandidateReportDifferencesItem
        from ..models.candidate_out import CandidateOut
        from ..models.candidate_report_counts import CandidateReportCounts
        candidate = self.candidate.to_dict()

        counts = self.counts.to_dict()

        differences = []
        for differences_item_data in self.differences:
            differences_item = differences_item_data.to_dict()
            differences.append(differences_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "candidate": candidate,
            "counts": counts,
            "differences": differences,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candidate_report_differences_item import CandidateReportDifferencesItem
        from ..models.candidate_out import CandidateOut
        from ..models.candidate_report_counts import CandidateReportCounts
        d = dict(src_dict)
        candidate = CandidateOut.from_dict(d.pop("candidate"))




        counts = CandidateReportCounts.from_dict(d.pop("counts"))




        differences = []
        _differences = d.pop("differences")
        for differences_item_data in (_differences):
            differences_item = CandidateReportDifferencesItem.from_dict(differences_item_data)



            differences.append(differences_item)


        candidate_report = cls(
            candidate=candidate,
            counts=counts,
            differences=differences,
        )


        candidate_report.additional_properties = d
        return candidate_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
