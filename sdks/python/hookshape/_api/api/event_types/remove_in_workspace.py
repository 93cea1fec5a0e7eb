from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast
from typing import Union



def _get_kwargs(
    ws: str,
    name: str,
    *,
    global_: Union[Unset, bool] = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["global"] = global_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/workspaces/{ws}/event-types/{name}".format(ws=ws,name=name,),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[Any, ErrorBody]]:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[Any, ErrorBody]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ws: str,
    name: str,
    *,
    client: AuthenticatedClient,
    global_: Union[Unset, bool] = UNSET,

) -> Response[Union[Any, ErrorBody]]:
    """ Remove an event type from the catalog (events of that type are still accepted).

     Needs `manage` (admin, manager).

    Args:
        ws (str):
        name (str):
        global_ (Union[Unset, bool]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Any, ErrorBody]]
     """


    kwargs = _get_kwargs(
        ws=ws,
name=name,
global_=global_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    name: str,
    *,
    client: AuthenticatedClient,
    global_: Union[Unset, bool] = UNSET,

) -> Optional[Union[Any, ErrorBody]]:
    """ Remove an event type from the catalog (events of that type are still accepted).

     Needs `manage` (admin, manager).

    Args:
        ws (str):
        name (str):
        global_ (Union[Unset, bool]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Any, ErrorBody]
     """


    return sync_detailed(
        ws=ws,
name=name,
client=client,
global_=global_,

    ).parsed

async def asyncio_detailed(
    ws: str,
    name: str,
    *,
    client: AuthenticatedClient,
    global_: Union[Unset, bool] = UNSET,

) -> Response[Union[Any, ErrorBody]]:
    """ Remove an event type from the catalog (events of that type are still accepted).

     Needs `manage` (admin, manager).

    Args:
        ws (str):
        name (str):
        global_ (Union[Unset, bool]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Any, ErrorBody]]
     """


    kwargs = _get_kwargs(
        ws=ws,
name=name,
global_=global_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    name: str,
    *,
    client: AuthenticatedClient,
    global_: Union[Unset, bool] = UNSET,

) -> Optional[Union[Any, ErrorBody]]:
    """ Remove an event type from the catalog (events of that type are still accepted).

     Needs `manage` (admin, manager).

    Args:
        ws (str):
        name (str):
        global_ (Union[Unset, bool]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Any, ErrorBody]
     """


    return (await asyncio_detailed(
        ws=ws,
name=name,
client=client,
global_=global_,

    )).parsed
