from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.event_type_in import EventTypeIn
from ...models.event_type_out import EventTypeOut
from ...types import UNSET, Unset
from typing import cast
from typing import Union



def _get_kwargs(
    ws: str,
    *,
    body: EventTypeIn,
    global_: Union[Unset, bool] = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    params["global"] = global_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{ws}/event-types".format(ws=ws,),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, EventTypeOut]]:
    if response.status_code == 201:
        response_201 = EventTypeOut.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())



        return response_409

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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, EventTypeOut]]:
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
    body: EventTypeIn,
    global_: Union[Unset, bool] = UNSET,

) -> Response[Union[ErrorBody, EventTypeOut]]:
    """ Add an event type to the catalog.

     Needs `manage` (admin, manager); `?global=true` needs an admin.

    Args:
        ws (str):
        global_ (Union[Unset, bool]):
        body (EventTypeIn): A new catalog entry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, EventTypeOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,
global_=global_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    global_: Union[Unset, bool] = UNSET,

) -> Optional[Union[ErrorBody, EventTypeOut]]:
    """ Add an event type to the catalog.

     Needs `manage` (admin, manager); `?global=true` needs an admin.

    Args:
        ws (str):
        global_ (Union[Unset, bool]):
        body (EventTypeIn): A new catalog entry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, EventTypeOut]
     """


    return sync_detailed(
        ws=ws,
client=client,
body=body,
global_=global_,

    ).parsed

async def asyncio_detailed(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    global_: Union[Unset, bool] = UNSET,

) -> Response[Union[ErrorBody, EventTypeOut]]:
    """ Add an event type to the catalog.

     Needs `manage` (admin, manager); `?global=true` needs an admin.

    Args:
        ws (str):
        global_ (Union[Unset, bool]):
        body (EventTypeIn): A new catalog entry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, EventTypeOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,
global_=global_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    global_: Union[Unset, bool] = UNSET,

) -> Optional[Union[ErrorBody, EventTypeOut]]:
    """ Add an event type to the catalog.

     Needs `manage` (admin, manager); `?global=true` needs an admin.

    Args:
        ws (str):
        global_ (Union[Unset, bool]):
        body (EventTypeIn): A new catalog entry.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, EventTypeOut]
     """


    return (await asyncio_detailed(
        ws=ws,
client=client,
body=body,
global_=global_,

    )).parsed
