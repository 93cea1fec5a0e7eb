from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union

if TYPE_CHECKING:
  from ..models.branding_io import BrandingIo
  from ..models.workspace_in_metadata import WorkspaceInMetadata





T = TypeVar("T", bound="WorkspaceIn")



@_attrs_define
class WorkspaceIn:
    """ 
        Attributes:
            name (str):
            branding (Union['BrandingIo', None, Unset]):
            id (Union[None, Unset, str]): Chosen by the caller (1–64 letters, digits, `_`, `-`; e.g. the source's own tenant
                id), or generated (`wksp_…`).
            metadata (Union[Unset, WorkspaceInMetadata]):
            parent (Union[None, Unset, str]): Its events also reach the parent's subscriptions.
     """

    name: str
    branding: Union['BrandingIo', None, Unset] = UNSET
    id: Union[None, Unset, str] = UNSET
    metadata: Union[Unset, 'WorkspaceInMetadata'] = UNSET
    parent: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_io import BrandingIo
        from ..models.workspace_in_metadata import WorkspaceInMetadata
        name = self.name

        branding: Union[None, Unset, dict[str, Any]]
        if isinstance(self.branding, Unset):
            branding = UNSET
        elif isinstance(self.branding, BrandingIo):
            branding = self.branding.to_dict()
        else:
            branding = self.branding

        id: Union[None, Unset, str]
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        metadata: Union[Unset, dict[str, Any]] = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        parent: Union[None, Unset, str]
        if isinstance(self.parent, Unset):
            parent = UNSET
        else:
            parent = self.parent


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if branding is not UNSET:
            field_dict["branding"] = branding
        if id is not UNSET:
            field_dict["id"] = id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if parent is not UNSET:
            field_dict["parent"] = parent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_io import BrandingIo
        from ..models.workspace_in_metadata import WorkspaceInMetadata
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_branding(data: object) -> Union['BrandingIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                branding_type_1 = BrandingIo.from_dict(data)



                return branding_type_1
            except: # noqa: E722
                pass
            return cast(Union['BrandingIo', None, Unset], data)

        branding = _parse_branding(d.pop("branding", UNSET))


        def _parse_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        id = _parse_id(d.pop("id", UNSET))


        _metadata = d.pop("metadata", UNSET)
        metadata: Union[Unset, WorkspaceInMetadata]
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = WorkspaceInMetadata.from_dict(_metadata)




        def _parse_parent(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        parent = _parse_parent(d.pop("parent", UNSET))


        workspace_in = cls(
            name=name,
            branding=branding,
            id=id,
            metadata=metadata,
            parent=parent,
        )

        return workspace_in

