from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.portal_link_in import PortalLinkIn
from ...models.portal_link_out import PortalLinkOut
from typing import cast



def _get_kwargs(
    *,
    body: PortalLinkIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/portal-links",
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, PortalLinkOut]]:
    if response.status_code == 201:
        response_201 = PortalLinkOut.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, PortalLinkOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PortalLinkIn,

) -> Response[Union[ErrorBody, PortalLinkOut]]:
    """ Create a portal link for a workspace: a URL that opens the portal with a short-lived
    session limited to `capabilities`.

     Needs `manage` (admin; manager of the workspace) and an API token (a session cannot make
    links). Use it as `/v1/workspaces/{ws}/portal-links`.

    Args:
        body (PortalLinkIn): A request for a portal link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, PortalLinkOut]]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: PortalLinkIn,

) -> Optional[Union[ErrorBody, PortalLinkOut]]:
    """ Create a portal link for a workspace: a URL that opens the portal with a short-lived
    session limited to `capabilities`.

     Needs `manage` (admin; manager of the workspace) and an API token (a session cannot make
    links). Use it as `/v1/workspaces/{ws}/portal-links`.

    Args:
        body (PortalLinkIn): A request for a portal link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, PortalLinkOut]
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PortalLinkIn,

) -> Response[Union[ErrorBody, PortalLinkOut]]:
    """ Create a portal link for a workspace: a URL that opens the portal with a short-lived
    session limited to `capabilities`.

     Needs `manage` (admin; manager of the workspace) and an API token (a session cannot make
    links). Use it as `/v1/workspaces/{ws}/portal-links`.

    Args:
        body (PortalLinkIn): A request for a portal link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, PortalLinkOut]]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PortalLinkIn,

) -> Optional[Union[ErrorBody, PortalLinkOut]]:
    """ Create a portal link for a workspace: a URL that opens the portal with a short-lived
    session limited to `capabilities`.

     Needs `manage` (admin; manager of the workspace) and an API token (a session cannot make
    links). Use it as `/v1/workspaces/{ws}/portal-links`.

    Args:
        body (PortalLinkIn): A request for a portal link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, PortalLinkOut]
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
