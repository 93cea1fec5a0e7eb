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
  from ..models.workspace_patch_metadata_type_0 import WorkspacePatchMetadataType0
  from ..models.branding_io import BrandingIo





T = TypeVar("T", bound="WorkspacePatch")



@_attrs_define
class WorkspacePatch:
    """ 
        Attributes:
            branding (Union['BrandingIo', None, Unset]):
            metadata (Union['WorkspacePatchMetadataType0', None, Unset]):
            name (Union[None, Unset, str]):
            parent (Union[None, Unset, str]): A new parent; `null` removes it.
     """

    branding: Union['BrandingIo', None, Unset] = UNSET
    metadata: Union['WorkspacePatchMetadataType0', None, Unset] = UNSET
    name: Union[None, Unset, str] = UNSET
    parent: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.workspace_patch_metadata_type_0 import WorkspacePatchMetadataType0
        from ..models.branding_io import BrandingIo
        branding: Union[None, Unset, dict[str, Any]]
        if isinstance(self.branding, Unset):
            branding = UNSET
        elif isinstance(self.branding, BrandingIo):
            branding = self.branding.to_dict()
        else:
            branding = self.branding

        metadata: Union[None, Unset, dict[str, Any]]
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, WorkspacePatchMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        name: Union[None, Unset, str]
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        parent: Union[None, Unset, str]
        if isinstance(self.parent, Unset):
            parent = UNSET
        else:
            parent = self.parent


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if branding is not UNSET:
            field_dict["branding"] = branding
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if name is not UNSET:
            field_dict["name"] = name
        if parent is not UNSET:
            field_dict["parent"] = parent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workspace_patch_metadata_type_0 import WorkspacePatchMetadataType0
        from ..models.branding_io import BrandingIo
        d = dict(src_dict)
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


        def _parse_metadata(data: object) -> Union['WorkspacePatchMetadataType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = WorkspacePatchMetadataType0.from_dict(data)



                return metadata_type_0
            except: # noqa: E722
                pass
            return cast(Union['WorkspacePatchMetadataType0', None, Unset], data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


        def _parse_name(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_parent(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        parent = _parse_parent(d.pop("parent", UNSET))


        workspace_patch = cls(
            branding=branding,
            metadata=metadata,
            name=name,
            parent=parent,
        )

        return workspace_patch

