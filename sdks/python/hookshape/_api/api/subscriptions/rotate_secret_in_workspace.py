from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.rotate_in import RotateIn
from ...models.secret_out import SecretOut
from typing import cast
from typing import cast, Union



def _get_kwargs(
    ws: str,
    id: str,
    *,
    body: Union['RotateIn', None],

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{ws}/subscriptions/{id}/secret/rotate".format(ws=ws,id=id,),
    }

    _kwargs["json"]: Union[None, dict[str, Any]]
    if isinstance(body, RotateIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, SecretOut]]:
    if response.status_code == 200:
        response_200 = SecretOut.from_dict(response.json())



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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, SecretOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ws: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: Union['RotateIn', None],

) -> Response[Union[ErrorBody, SecretOut]]:
    """ Rotate the signing secret. The old one keeps signing beside the new one for the overlap
    (default 24 h), so receivers can switch without missing a request.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['RotateIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SecretOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
id=id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: Union['RotateIn', None],

) -> Optional[Union[ErrorBody, SecretOut]]:
    """ Rotate the signing secret. The old one keeps signing beside the new one for the overlap
    (default 24 h), so receivers can switch without missing a request.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['RotateIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SecretOut]
     """


    return sync_detailed(
        ws=ws,
id=id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ws: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: Union['RotateIn', None],

) -> Response[Union[ErrorBody, SecretOut]]:
    """ Rotate the signing secret. The old one keeps signing beside the new one for the overlap
    (default 24 h), so receivers can switch without missing a request.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['RotateIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SecretOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
id=id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: Union['RotateIn', None],

) -> Optional[Union[ErrorBody, SecretOut]]:
    """ Rotate the signing secret. The old one keeps signing beside the new one for the overlap
    (default 24 h), so receivers can switch without missing a request.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['RotateIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SecretOut]
     """


    return (await asyncio_detailed(
        ws=ws,
id=id,
client=client,
body=body,

    )).parsed
