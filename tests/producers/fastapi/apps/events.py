"""An event-subscription service: subscriptions, deliveries and the webhooks it sends.

Covers: webhooks (`app.webhooks`) and a callback, generic page models, tuples and sets,
`Literal` constants, examples (`Field(examples=...)`, `openapi_examples`), deprecated
operations, parameters and fields, aliases, computed fields (separate input and output
schemas), `Any`, timedelta/URL/IP/secret fields, exclusive bounds and `multiple_of`,
`extra="forbid"`, maps of models, and several security schemes.
"""

from datetime import datetime, time, timedelta
from enum import Enum, IntEnum
from ipaddress import IPv4Address
from typing import Annotated, Any, Generic, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, Body, Depends, FastAPI, Header, HTTPException, Path, Query, Security, status
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr, computed_field

app = FastAPI(
    title="Event subscriptions",
    version="3.2.0",
    summary="Subscribe to events and receive them by webhook.",
    contact={"name": "Platform team", "url": "https://example.com/platform"},
    license_info={"name": "Apache 2.0", "identifier": "Apache-2.0"},
)

bearer = HTTPBearer(auto_error=False)
api_key = APIKeyHeader(name="X-API-Key", auto_error=False)
session_cookie = APIKeyCookie(name="session", auto_error=False)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(ge=0)
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=25, ge=1, le=100)


class EventType(str, Enum):
    created = "subscription.created"
    renewed = "subscription.renewed"
    cancelled = "subscription.cancelled"
    payment_failed = "payment.failed"


class RetryLevel(IntEnum):
    none = 0
    some = 3
    many = 10


class Window(BaseModel):
    start: time
    end: time


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: set[EventType] = Field(min_length=1)
    source_ips: frozenset[IPv4Address] = frozenset()
    quiet_hours: tuple[time, time] | None = None
    match: dict[str, list[str]] = {}


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "callbackUrl": "https://hooks.example.com/in",
                    "filter": {"events": ["subscription.created"]},
                    "secret": "s3cr3t-s3cr3t",
                }
            ]
        },
    )

    callback_url: AnyHttpUrl = Field(alias="callbackUrl")
    filter: Filter
    secret: SecretStr = Field(min_length=8)
    retries: RetryLevel = RetryLevel.some
    timeout: timedelta = timedelta(seconds=10)
    max_rate: float = Field(default=10.0, gt=0, lt=1000, multiple_of=0.5)
    labels: dict[str, str] = Field(default_factory=dict, max_length=20)
    api_version: Literal[3] = 3
    legacy_format: bool = Field(default=False, deprecated=True)


class Subscription(BaseModel):
    id: UUID
    callback_url: AnyHttpUrl = Field(alias="callbackUrl")
    filter: Filter
    retries: RetryLevel
    timeout: timedelta
    created_at: datetime
    paused_until: datetime | None = None
    windows: dict[str, Window] = {}
    coordinates: tuple[float, float, float] | None = None

    @computed_field
    @property
    def active(self) -> bool:
        return self.paused_until is None


class Delivery(BaseModel):
    id: int
    subscription_id: UUID
    event: EventType
    attempt: int = Field(ge=1, le=10)
    status_code: int | None = Field(default=None, ge=100, lt=600)
    duration: timedelta | None = None
    payload: dict[str, Any]
    response_headers: list[tuple[str, str]] = []


class Event(BaseModel):
    """What a webhook delivers."""

    id: UUID
    type: EventType
    occurred_at: datetime
    subscription: Subscription
    data: Any = None
    schema_version: Literal["2024-01"] = "2024-01"


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


def credentials(
    token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    key: Annotated[str | None, Security(api_key)],
    cookie: Annotated[str | None, Security(session_cookie)],
) -> str:
    if token is None and key is None and cookie is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
    return "caller"


callbacks = APIRouter()


@callbacks.post("{$request.body#/callbackUrl}", response_model=None)
def subscription_confirmation(body: Event):
    """The first event, sent once when the subscription is created."""


PROBLEMS = {
    "default": {"model": Problem, "description": "A problem document."},
    401: {"model": Problem, "description": "Not authenticated."},
}


@app.get(
    "/subscriptions",
    response_model=Page[Subscription],
    tags=["subscriptions"],
    responses=PROBLEMS,
)
def list_subscriptions(
    caller: Annotated[str, Depends(credentials)],
    event: Annotated[list[EventType] | None, Query()] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
    created_after: datetime | None = None,
    active: bool | None = None,
    legacy: Annotated[bool, Query(deprecated=True)] = False,
):
    return Page[Subscription](items=[], total=0)


@app.post(
    "/subscriptions",
    response_model=Subscription,
    status_code=status.HTTP_201_CREATED,
    tags=["subscriptions"],
    callbacks=callbacks.routes,
    responses={**PROBLEMS, 409: {"model": Problem, "description": "Already subscribed."}},
)
def create_subscription(
    caller: Annotated[str, Depends(credentials)],
    subscription: Annotated[
        SubscriptionCreate,
        Body(
            openapi_examples={
                "minimal": {
                    "summary": "The fewest fields",
                    "value": {
                        "callbackUrl": "https://hooks.example.com/in",
                        "filter": {"events": ["subscription.created"]},
                        "secret": "s3cr3t-s3cr3t",
                    },
                },
                "full": {
                    "summary": "Every field",
                    "value": {
                        "callbackUrl": "https://hooks.example.com/in",
                        "filter": {"events": ["payment.failed"], "source_ips": ["10.0.0.1"]},
                        "secret": "s3cr3t-s3cr3t",
                        "retries": 10,
                        "timeout": "PT30S",
                        "labels": {"team": "billing"},
                    },
                },
            }
        ),
    ],
    x_correlation_id: Annotated[str | None, Header(examples=["c0ffee"])] = None,
):
    raise HTTPException(status_code=409, detail="Already subscribed")


@app.get(
    "/subscriptions/{subscription_id}",
    response_model=Subscription,
    tags=["subscriptions"],
    responses={**PROBLEMS, 404: {"model": Problem}},
)
def get_subscription(subscription_id: UUID, caller: Annotated[str, Depends(credentials)]):
    raise HTTPException(status_code=404, detail="No such subscription")


@app.delete(
    "/subscriptions/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["subscriptions"],
    responses=PROBLEMS,
)
def delete_subscription(
    subscription_id: UUID, caller: Annotated[str, Depends(credentials)]
) -> None:
    return None


@app.post(
    "/subscriptions/{subscription_id}/pause",
    response_model=Subscription,
    tags=["subscriptions"],
    deprecated=True,
    summary="Pause (use PATCH with paused_until instead)",
)
def pause_subscription(
    subscription_id: UUID,
    until: Annotated[datetime, Body(embed=True)],
    caller: Annotated[str, Depends(credentials)],
):
    raise HTTPException(status_code=404, detail="No such subscription")


@app.get(
    "/subscriptions/{subscription_id}/deliveries",
    response_model=Page[Delivery],
    tags=["deliveries"],
)
def list_deliveries(
    subscription_id: UUID,
    caller: Annotated[str, Depends(credentials)],
    failed_only: bool = False,
    min_duration: timedelta | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
):
    return Page[Delivery](items=[], total=0)


@app.post(
    "/deliveries/{delivery_id}/redeliver",
    response_model=Delivery,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["deliveries"],
)
def redeliver(
    delivery_id: Annotated[int, Path(gt=0)],
    caller: Annotated[str, Depends(credentials)],
    delay: Annotated[float, Query(ge=0, le=3600)] = 0,
):
    raise HTTPException(status_code=404, detail="No such delivery")


@app.get("/events/types", response_model=dict[EventType, str], tags=["events"])
def event_types():
    return {t: t.value for t in EventType}


@app.post("/events/test", response_model=Event, tags=["events"])
def send_test_event(event: Event, dry_run: bool = True) -> Any:
    return event


@app.webhooks.post("subscription-renewed")
def subscription_renewed(body: Event):
    """Sent when a subscription renews."""


@app.webhooks.post("payment-failed")
def payment_failed(body: Event, x_signature: Annotated[str, Header()]):
    """Sent when a payment fails; signed in `X-Signature`."""
