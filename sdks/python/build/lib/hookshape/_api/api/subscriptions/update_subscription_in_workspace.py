from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.subscription_out import SubscriptionOut
from ...models.subscription_patch import SubscriptionPatch
from ...types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union



def _get_kwargs(
    ws: str,
    id: str,
    *,
    body: SubscriptionPatch,
    if_match: Union[None, Unset, str] = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/workspaces/{ws}/subscriptions/{id}".format(ws=ws,id=id,),
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    if response.status_code == 200:
        response_200 = SubscriptionOut.from_dict(response.json())



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

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())



        return response_412

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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, SubscriptionOut]]:
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
    body: SubscriptionPatch,
    if_match: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, SubscriptionOut]]:
    """ Change a subscription. Send `If-Match: <etag>` to refuse the change (412) when someone
    else changed it since you read it.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        if_match (Union[None, Unset, str]):
        body (SubscriptionPatch): Fields to change; absent fields stay. `description` and `plugin`
            may be `null` to clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
id=id,
body=body,
if_match=if_match,

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
    body: SubscriptionPatch,
    if_match: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    """ Change a subscription. Send `If-Match: <etag>` to refuse the change (412) when someone
    else changed it since you read it.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        if_match (Union[None, Unset, str]):
        body (SubscriptionPatch): Fields to change; absent fields stay. `description` and `plugin`
            may be `null` to clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SubscriptionOut]
     """


    return sync_detailed(
        ws=ws,
id=id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    ws: str,
    id: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionPatch,
    if_match: Union[None, Unset, str] = UNSET,

) -> Response[Union[ErrorBody, SubscriptionOut]]:
    """ Change a subscription. Send `If-Match: <etag>` to refuse the change (412) when someone
    else changed it since you read it.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        if_match (Union[None, Unset, str]):
        body (SubscriptionPatch): Fields to change; absent fields stay. `description` and `plugin`
            may be `null` to clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
id=id,
body=body,
if_match=if_match,

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
    body: SubscriptionPatch,
    if_match: Union[None, Unset, str] = UNSET,

) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    """ Change a subscription. Send `If-Match: <etag>` to refuse the change (412) when someone
    else changed it since you read it.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        id (str):
        if_match (Union[None, Unset, str]):
        body (SubscriptionPatch): Fields to change; absent fields stay. `description` and `plugin`
            may be `null` to clear.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SubscriptionOut]
     """


    return (await asyncio_detailed(
        ws=ws,
id=id,
client=client,
body=body,
if_match=if_match,

    )).parsed
