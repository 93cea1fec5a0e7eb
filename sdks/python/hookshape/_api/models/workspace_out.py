from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime

if TYPE_CHECKING:
  from ..models.branding_io import BrandingIo
  from ..models.workspace_out_metadata import WorkspaceOutMetadata





T = TypeVar("T", bound="WorkspaceOut")



@_attrs_define
class WorkspaceOut:
    """ 
        Attributes:
            branding (BrandingIo): The portal's look: the SaaS's name, a logo (`https://` or `data:image/…;base64,`, at most
                64 KiB) and an accent colour (`#rrggbb`). Each field is optional.
            created (datetime.datetime):
            id (str):
            metadata (WorkspaceOutMetadata):
            name (str):
            updated (datetime.datetime):
            parent (Union[None, Unset, str]):
     """

    branding: 'BrandingIo'
    created: datetime.datetime
    id: str
    metadata: 'WorkspaceOutMetadata'
    name: str
    updated: datetime.datetime
    parent: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_io import BrandingIo
        from ..models.workspace_out_metadata import WorkspaceOutMetadata
        branding = self.branding.to_dict()

        created = self.created.isoformat()

        id = self.id

        metadata = self.metadata.to_dict()

        name = self.name

        updated = self.updated.isoformat()

        parent: Union[None, Unset, str]
        if isinstance(self.parent, Unset):
            parent = UNSET
        else:
            parent = self.parent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "branding": branding,
            "created": created,
            "id": id,
            "metadata": metadata,
            "name": name,
            "updated": updated,
        })
        if parent is not UNSET:
            field_dict["parent"] = parent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_io import BrandingIo
        from ..models.workspace_out_metadata import WorkspaceOutMetadata
        d = dict(src_dict)
        branding = BrandingIo.from_dict(d.pop("branding"))




        created = isoparse(d.pop("created"))




        id = d.pop("id")

        metadata = WorkspaceOutMetadata.from_dict(d.pop("metadata"))




        name = d.pop("name")

        updated = isoparse(d.pop("updated"))




        def _parse_parent(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        parent = _parse_parent(d.pop("parent", UNSET))


        workspace_out = cls(
            branding=branding,
            created=created,
            id=id,
            metadata=metadata,
            name=name,
            updated=updated,
            parent=parent,
        )


        workspace_out.additional_properties = d
        return workspace_out

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
