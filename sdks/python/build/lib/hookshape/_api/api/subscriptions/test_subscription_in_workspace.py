from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.attempt_out import AttemptOut
from ...models.error_body import ErrorBody
from ...models.test_in import TestIn
from typing import cast
from typing import cast, Union



def _get_kwargs(
    ws: str,
    id: str,
    *,
    body: Union['TestIn', None],

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{ws}/subscriptions/{id}/test".format(ws=ws,id=id,),
    }

    _kwargs["json"]: Union[None, dict[str, Any]]
    if isinstance(body, TestIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[AttemptOut, ErrorBody]]:
    if response.status_code == 200:
        response_200 = AttemptOut.from_dict(response.json())



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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[AttemptOut, ErrorBody]]:
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
    body: Union['TestIn', None],

) -> Response[Union[AttemptOut, ErrorBody]]:
    """ Deliver a synthetic `hookshape.test` event, or an event type's catalog example, to the
    subscription now and return the attempt (whatever its event filter and status; not
    retried).

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['TestIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[AttemptOut, ErrorBody]]
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
    body: Union['TestIn', None],

) -> Optional[Union[AttemptOut, ErrorBody]]:
    """ Deliver a synthetic `hookshape.test` event, or an event type's catalog example, to the
    subscription now and return the attempt (whatever its event filter and status; not
    retried).

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['TestIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[AttemptOut, ErrorBody]
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
    body: Union['TestIn', None],

) -> Response[Union[AttemptOut, ErrorBody]]:
    """ Deliver a synthetic `hookshape.test` event, or an event type's catalog example, to the
    subscription now and return the attempt (whatever its event filter and status; not
    retried).

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['TestIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[AttemptOut, ErrorBody]]
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
    body: Union['TestIn', None],

) -> Optional[Union[AttemptOut, ErrorBody]]:
    """ Deliver a synthetic `hookshape.test` event, or an event type's catalog example, to the
    subscription now and return the attempt (whatever its event filter and status; not
    retried).

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        body (Union['TestIn', None]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[AttemptOut, ErrorBody]
     """


    return (await asyncio_detailed(
        ws=ws,
id=id,
client=client,
body=body,

    )).parsed
