from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.workspace_out import WorkspaceOut
from ...models.workspace_patch import WorkspacePatch
from typing import cast



def _get_kwargs(
    ws: str,
    *,
    body: WorkspacePatch,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/workspaces/{ws}".format(ws=ws,),
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, WorkspaceOut]]:
    if response.status_code == 200:
        response_200 = WorkspaceOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, WorkspaceOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: WorkspacePatch,

) -> Response[Union[ErrorBody, WorkspaceOut]]:
    """ Change a workspace's name, parent or metadata.

     Needs `administer` (admin).

    Args:
        ws (str):
        body (WorkspacePatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, WorkspaceOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: WorkspacePatch,

) -> Optional[Union[ErrorBody, WorkspaceOut]]:
    """ Change a workspace's name, parent or metadata.

     Needs `administer` (admin).

    Args:
        ws (str):
        body (WorkspacePatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, WorkspaceOut]
     """


    return sync_detailed(
        ws=ws,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: WorkspacePatch,

) -> Response[Union[ErrorBody, WorkspaceOut]]:
    """ Change a workspace's name, parent or metadata.

     Needs `administer` (admin).

    Args:
        ws (str):
        body (WorkspacePatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, WorkspaceOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: WorkspacePatch,

) -> Optional[Union[ErrorBody, WorkspaceOut]]:
    """ Change a workspace's name, parent or metadata.

     Needs `administer` (admin).

    Args:
        ws (str):
        body (WorkspacePatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, WorkspaceOut]
     """


    return (await asyncio_detailed(
        ws=ws,
client=client,
body=body,

    )).parsed
