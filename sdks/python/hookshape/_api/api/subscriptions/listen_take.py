from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.relayed_list import RelayedList
from ...types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union



def _get_kwargs(
    session: str,
    *,
    wait: Union[None, Unset, int] = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_wait: Union[None, Unset, int]
    if isinstance(wait, Unset):
        json_wait = UNSET
    else:
        json_wait = wait
    params["wait"] = json_wait


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/listen/{session}".format(session=session,),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, RelayedList]]:
    if response.status_code == 200:
        response_200 = RelayedList.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())



        return response_422

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, RelayedList]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session: str,
    *,
    client: AuthenticatedClient,
    wait: Union[None, Unset, int] = UNSET,

) -> Response[Union[ErrorBody, RelayedList]]:
    r""" Take the deliveries waiting for a `hookshape listen` session (a long poll). Polling is what
    keeps the session connected: its subscription's deliveries fail as \"not connected\" 45
    seconds after its last poll.

     Needs `manage`.

    Args:
        session (str):
        wait (Union[None, Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, RelayedList]]
     """


    kwargs = _get_kwargs(
        session=session,
wait=wait,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session: str,
    *,
    client: AuthenticatedClient,
    wait: Union[None, Unset, int] = UNSET,

) -> Optional[Union[ErrorBody, RelayedList]]:
    r""" Take the deliveries waiting for a `hookshape listen` session (a long poll). Polling is what
    keeps the session connected: its subscription's deliveries fail as \"not connected\" 45
    seconds after its last poll.

     Needs `manage`.

    Args:
        session (str):
        wait (Union[None, Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, RelayedList]
     """


    return sync_detailed(
        session=session,
client=client,
wait=wait,

    ).parsed

async def asyncio_detailed(
    session: str,
    *,
    client: AuthenticatedClient,
    wait: Union[None, Unset, int] = UNSET,

) -> Response[Union[ErrorBody, RelayedList]]:
    r""" Take the deliveries waiting for a `hookshape listen` session (a long poll). Polling is what
    keeps the session connected: its subscription's deliveries fail as \"not connected\" 45
    seconds after its last poll.

     Needs `manage`.

    Args:
        session (str):
        wait (Union[None, Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, RelayedList]]
     """


    kwargs = _get_kwargs(
        session=session,
wait=wait,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session: str,
    *,
    client: AuthenticatedClient,
    wait: Union[None, Unset, int] = UNSET,

) -> Optional[Union[ErrorBody, RelayedList]]:
    r""" Take the deliveries waiting for a `hookshape listen` session (a long poll). Polling is what
    keeps the session connected: its subscription's deliveries fail as \"not connected\" 45
    seconds after its last poll.

     Needs `manage`.

    Args:
        session (str):
        wait (Union[None, Unset, int]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, RelayedList]
     """


    return (await asyncio_detailed(
        session=session,
client=client,
wait=wait,

    )).parsed
