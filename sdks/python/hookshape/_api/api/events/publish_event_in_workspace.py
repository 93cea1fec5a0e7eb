from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.event_accepted import EventAccepted
from ...models.event_in import EventIn
from ...types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union



def _get_kwargs(
    ws: str,
    *,
    body: EventIn,
    traceparent: Union[None, Unset, str] = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(traceparent, Unset):
        headers["traceparent"] = traceparent



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{ws}/events".format(ws=ws,),
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, EventAccepted]]:
    if response.status_code == 202:
        response_202 = EventAccepted.from_dict(response.json())



        return response_202

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

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, EventAccepted]]:
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
    body: EventIn,
    traceparent: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, EventAccepted]]:
    """ Publish an event. Answers 202 only once the event and one delivery job per matching
    enabled subscription are on disk. Re-posting an `id` returns the same event and creates
    nothing new.

     Needs `publish` (admin; publisher, of the workspace when scoped).

    Args:
        ws (str):
        traceparent (Union[None, Unset, str]):
        body (EventIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, EventAccepted]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,
traceparent=traceparent,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventIn,
    traceparent: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, EventAccepted]]:
    """ Publish an event. Answers 202 only once the event and one delivery job per matching
    enabled subscription are on disk. Re-posting an `id` returns the same event and creates
    nothing new.

     Needs `publish` (admin; publisher, of the workspace when scoped).

    Args:
        ws (str):
        traceparent (Union[None, Unset, str]):
        body (EventIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, EventAccepted]
     """


    return sync_detailed(
        ws=ws,
client=client,
body=body,
traceparent=traceparent,

    ).parsed

async def asyncio_detailed(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventIn,
    traceparent: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, EventAccepted]]:
    """ Publish an event. Answers 202 only once the event and one delivery job per matching
    enabled subscription are on disk. Re-posting an `id` returns the same event and creates
    nothing new.

     Needs `publish` (admin; publisher, of the workspace when scoped).

    Args:
        ws (str):
        traceparent (Union[None, Unset, str]):
        body (EventIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, EventAccepted]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,
traceparent=traceparent,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: EventIn,
    traceparent: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, EventAccepted]]:
    """ Publish an event. Answers 202 only once the event and one delivery job per matching
    enabled subscription are on disk. Re-posting an `id` returns the same event and creates
    nothing new.

     Needs `publish` (admin; publisher, of the workspace when scoped).

    Args:
        ws (str):
        traceparent (Union[None, Unset, str]):
        body (EventIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, EventAccepted]
     """


    return (await asyncio_detailed(
        ws=ws,
client=client,
body=body,
traceparent=traceparent,

    )).parsed
