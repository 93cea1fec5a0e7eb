from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.subscription_in import SubscriptionIn
from ...models.subscription_out import SubscriptionOut
from typing import cast



def _get_kwargs(
    ws: str,
    *,
    body: SubscriptionIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/workspaces/{ws}/subscriptions".format(ws=ws,),
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    if response.status_code == 201:
        response_201 = SubscriptionOut.from_dict(response.json())



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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[ErrorBody, SubscriptionOut]]:
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
    body: SubscriptionIn,

) -> Response[Union[ErrorBody, SubscriptionOut]]:
    """ Create a subscription. The secret is generated when absent and shown only here and at
    `GET /v1/subscriptions/{id}/secret`.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,

) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    """ Create a subscription. The secret is generated when absent and shown only here and at
    `GET /v1/subscriptions/{id}/secret`.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SubscriptionOut]
     """


    return sync_detailed(
        ws=ws,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,

) -> Response[Union[ErrorBody, SubscriptionOut]]:
    """ Create a subscription. The secret is generated when absent and shown only here and at
    `GET /v1/subscriptions/{id}/secret`.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[ErrorBody, SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        ws=ws,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ws: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,

) -> Optional[Union[ErrorBody, SubscriptionOut]]:
    """ Create a subscription. The secret is generated when absent and shown only here and at
    `GET /v1/subscriptions/{id}/secret`.

     Needs `manage` (admin; manager of the workspace).

    Args:
        ws (str):
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[ErrorBody, SubscriptionOut]
     """


    return (await asyncio_detailed(
        ws=ws,
client=client,
body=body,

    )).parsed
