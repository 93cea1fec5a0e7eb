from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.list_out_event_out import ListOutEventOut
from ...types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union



def _get_kwargs(
    *,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_type_: Union[None, Unset, str]
    if isinstance(type_, Unset):
        json_type_ = UNSET
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_since: Union[None, Unset, str]
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    json_limit: Union[None, Unset, int]
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_before: Union[None, Unset, str]
    if isinstance(before, Unset):
        json_before = UNSET
    else:
        json_before = before
    params["before"] = json_before


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, ListOutEventOut]]:
    if response.status_code == 200:
        response_200 = ListOutEventOut.from_dict(response.json())



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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, ListOutEventOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, ListOutEventOut]]:
    """ The workspace's events, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, ListOutEventOut]]
     """


    kwargs = _get_kwargs(
        type_=type_,
since=since,
limit=limit,
before=before,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, ListOutEventOut]]:
    """ The workspace's events, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, ListOutEventOut]
     """


    return sync_detailed(
        client=client,
type_=type_,
since=since,
limit=limit,
before=before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, ListOutEventOut]]:
    """ The workspace's events, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, ListOutEventOut]]
     """


    kwargs = _get_kwargs(
        type_=type_,
since=since,
limit=limit,
before=before,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, ListOutEventOut]]:
    """ The workspace's events, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, ListOutEventOut]
     """


    return (await asyncio_detailed(
        client=client,
type_=type_,
since=since,
limit=limit,
before=before,

    )).parsed
