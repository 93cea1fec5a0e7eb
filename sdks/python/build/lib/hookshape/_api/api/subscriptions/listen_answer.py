from http import HTTPStatus
from typing import Any, Optional, Union, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.answer_in import AnswerIn
from ...models.error_body import ErrorBody
from typing import cast



def _get_kwargs(
    session: str,
    request: str,
    *,
    body: AnswerIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/listen/{session}/{request}".format(session=session,request=request,),
    }

    _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Optional[Union[Any, ErrorBody]]:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def _build_response(*, client: Union[AuthenticatedClient, Client], response: httpx.Response) -> Response[Union[Any, ErrorBody]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session: str,
    request: str,
    *,
    client: AuthenticatedClient,
    body: AnswerIn,

) -> Response[Union[Any, ErrorBody]]:
    """ Say what the local app answered to a delivery taken from the session; it is recorded as
    the attempt's response.

     Needs `manage`.

    Args:
        session (str):
        request (str):
        body (AnswerIn): What the local app answered, or why it could not be reached.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Any, ErrorBody]]
     """


    kwargs = _get_kwargs(
        session=session,
request=request,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session: str,
    request: str,
    *,
    client: AuthenticatedClient,
    body: AnswerIn,

) -> Optional[Union[Any, ErrorBody]]:
    """ Say what the local app answered to a delivery taken from the session; it is recorded as
    the attempt's response.

     Needs `manage`.

    Args:
        session (str):
        request (str):
        body (AnswerIn): What the local app answered, or why it could not be reached.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Any, ErrorBody]
     """


    return sync_detailed(
        session=session,
request=request,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    session: str,
    request: str,
    *,
    client: AuthenticatedClient,
    body: AnswerIn,

) -> Response[Union[Any, ErrorBody]]:
    """ Say what the local app answered to a delivery taken from the session; it is recorded as
    the attempt's response.

     Needs `manage`.

    Args:
        session (str):
        request (str):
        body (AnswerIn): What the local app answered, or why it could not be reached.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Union[Any, ErrorBody]]
     """


    kwargs = _get_kwargs(
        session=session,
request=request,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session: str,
    request: str,
    *,
    client: AuthenticatedClient,
    body: AnswerIn,

) -> Optional[Union[Any, ErrorBody]]:
    """ Say what the local app answered to a delivery taken from the session; it is recorded as
    the attempt's response.

     Needs `manage`.

    Args:
        session (str):
        request (str):
        body (AnswerIn): What the local app answered, or why it could not be reached.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Union[Any, ErrorBody]
     """


    return (await asyncio_detailed(
        session=session,
request=request,
client=client,
body=body,

    )).parsed
