from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.list_out_delivery_out import ListOutDeliveryOut
from ...types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union



def _get_kwargs(
    *,
    status: Union[None, Unset, str] = UNSET,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    until: Union[None, Unset, str] = UNSET,
    subscription: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: Union[None, Unset, str]
    if isinstance(status, Unset):
        json_status = UNSET
    else:
        json_status = status
    params["status"] = json_status

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

    json_until: Union[None, Unset, str]
    if isinstance(until, Unset):
        json_until = UNSET
    else:
        json_until = until
    params["until"] = json_until

    json_subscription: Union[None, Unset, str]
    if isinstance(subscription, Unset):
        json_subscription = UNSET
    else:
        json_subscription = subscription
    params["subscription"] = json_subscription

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
        "url": "/v1/deliveries",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, ListOutDeliveryOut]]:
    if response.status_code == 200:
        response_200 = ListOutDeliveryOut.from_dict(response.json())



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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, ListOutDeliveryOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: Union[None, Unset, str] = UNSET,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    until: Union[None, Unset, str] = UNSET,
    subscription: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, ListOutDeliveryOut]]:
    """ The workspace's deliveries across its subscriptions, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        status (Union[None, Unset, str]):
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        until (Union[None, Unset, str]):
        subscription (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, ListOutDeliveryOut]]
     """


    kwargs = _get_kwargs(
        status=status,
type_=type_,
since=since,
until=until,
subscription=subscription,
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
    status: Union[None, Unset, str] = UNSET,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    until: Union[None, Unset, str] = UNSET,
    subscription: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, ListOutDeliveryOut]]:
    """ The workspace's deliveries across its subscriptions, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        status (Union[None, Unset, str]):
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        until (Union[None, Unset, str]):
        subscription (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, ListOutDeliveryOut]
     """


    return sync_detailed(
        client=client,
status=status,
type_=type_,
since=since,
until=until,
subscription=subscription,
limit=limit,
before=before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: Union[None, Unset, str] = UNSET,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    until: Union[None, Unset, str] = UNSET,
    subscription: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, ListOutDeliveryOut]]:
    """ The workspace's deliveries across its subscriptions, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        status (Union[None, Unset, str]):
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        until (Union[None, Unset, str]):
        subscription (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, ListOutDeliveryOut]]
     """


    kwargs = _get_kwargs(
        status=status,
type_=type_,
since=since,
until=until,
subscription=subscription,
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
    status: Union[None, Unset, str] = UNSET,
    type_: Union[None, Unset, str] = UNSET,
    since: Union[None, Unset, str] = UNSET,
    until: Union[None, Unset, str] = UNSET,
    subscription: Union[None, Unset, str] = UNSET,
    limit: Union[None, Unset, int] = UNSET,
    before: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, ListOutDeliveryOut]]:
    """ The workspace's deliveries across its subscriptions, newest first.

     Needs `read` (admin; manager or viewer of the workspace).

    Args:
        status (Union[None, Unset, str]):
        type_ (Union[None, Unset, str]):
        since (Union[None, Unset, str]):
        until (Union[None, Unset, str]):
        subscription (Union[None, Unset, str]):
        limit (Union[None, Unset, int]):
        before (Union[None, Unset, str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, ListOutDeliveryOut]
     """


    return (await asyncio_detailed(
        client=client,
status=status,
type_=type_,
since=since,
until=until,
subscription=subscription,
limit=limit,
before=before,

    )).parsed
