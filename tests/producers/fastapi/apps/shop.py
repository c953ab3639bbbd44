"""A small shop: products, orders and their statistics.

Covers: str and int enums, nested models, lists and dicts, Decimal/datetime/date/UUID fields,
query, path, header and cookie parameters with constraints (and a query-parameter model),
response models with status codes (200, 201, 202, 204, 304), HTTPException with a documented
error model, and default values.
"""

from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import Cookie, FastAPI, Header, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

app = FastAPI(
    title="Shop",
    version="1.4.0",
    description="Products and orders of a small web shop.",
    servers=[{"url": "https://shop.example.com/api", "description": "production"}],
)


class Currency(str, Enum):
    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"


class Priority(IntEnum):
    """How soon an order ships: 1 (low) to 3 (high)."""

    LOW = 1
    NORMAL = 2
    HIGH = 3


class OrderStatus(str, Enum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    cancelled = "cancelled"


class Money(BaseModel):
    amount: Decimal = Field(max_digits=12, decimal_places=2, ge=0)
    currency: Currency = Currency.EUR


class Dimensions(BaseModel):
    width_cm: float = Field(gt=0)
    height_cm: float = Field(gt=0)
    depth_cm: float = Field(gt=0)
    weight_kg: float | None = Field(default=None, gt=0, le=1000)


class ProductBase(BaseModel):
    name: str = Field(min_length=1, max_length=120, examples=["Teapot"])
    description: str | None = None
    price: Money
    tags: list[str] = []
    attributes: dict[str, str] = Field(
        default_factory=dict, description="Free-form key/value attributes."
    )
    dimensions: Dimensions | None = None
    stock: int = Field(default=0, ge=0)


class ProductCreate(ProductBase):
    sku: str = Field(pattern=r"^[A-Z]{3}-\d{4}$", examples=["TEA-0001"])


class ProductUpdate(BaseModel):
    """Every field optional: only those sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = None
    price: Money | None = None
    tags: list[str] | None = None
    stock: int | None = Field(default=None, ge=0)
    discontinued_on: date | None = None


class Product(ProductBase):
    id: UUID
    sku: str
    created_at: datetime
    updated_at: datetime | None = None
    discontinued_on: date | None = None


class ProductPage(BaseModel):
    items: list[Product]
    total: int = Field(ge=0)
    next_cursor: str | None = None


class OrderLine(BaseModel):
    product_id: UUID
    quantity: int = Field(ge=1, le=1000)
    unit_price: Money


class Address(BaseModel):
    line1: str
    line2: str | None = None
    city: str
    postcode: str
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")


class OrderCreate(BaseModel):
    lines: list[OrderLine] = Field(min_length=1)
    shipping_address: Address
    billing_address: Address | None = None
    priority: Priority = Priority.NORMAL
    note: str | None = Field(default=None, max_length=500)
    metadata: dict[str, int | str | bool] = {}


class StatusChange(BaseModel):
    status: OrderStatus
    at: datetime


class Order(BaseModel):
    id: UUID
    status: OrderStatus
    lines: list[OrderLine]
    shipping_address: Address
    billing_address: Address | None
    priority: Priority
    total: Money
    placed_at: datetime
    history: list[StatusChange] = []
    last_change: tuple[datetime, OrderStatus] | None = None
    note: str | None = None


class Stats(BaseModel):
    revenue: dict[Currency, Decimal]
    orders_by_status: dict[OrderStatus, int]
    top_products: list[tuple[UUID, int]] = Field(max_length=10)
    as_of: date


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    """The body of every 4xx this API documents."""

    detail: str
    errors: list[ErrorDetail] = []


class OrderFilter(BaseModel):
    """Query parameters of `GET /orders`, as one model."""

    model_config = {"extra": "forbid"}

    status: list[OrderStatus] = []
    placed_after: datetime | None = None
    placed_before: datetime | None = None
    priority: Priority | None = None
    limit: int = Field(default=50, ge=1, le=200)


NOT_FOUND = {404: {"model": ErrorResponse, "description": "No such resource."}}

PRODUCTS: dict[UUID, Product] = {}
ORDERS: dict[UUID, Order] = {}


def now() -> datetime:
    return datetime.now(timezone.utc)


@app.get("/products", response_model=ProductPage, tags=["products"])
def list_products(
    q: Annotated[str | None, Query(min_length=2, max_length=50, description="Search text.")] = None,
    tag: Annotated[list[str], Query(description="Only products with all these tags.")] = [],
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    currency: Currency = Currency.EUR,
    sort: Literal["name", "-name", "price", "-price"] = "name",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
    include_discontinued: bool = False,
    x_request_id: Annotated[UUID | None, Header()] = None,
    accept_language: Annotated[str, Header()] = "en",
    session: Annotated[str | None, Cookie()] = None,
):
    items = [p for p in PRODUCTS.values() if all(t in p.tags for t in tag)]
    return ProductPage(items=items[:limit], total=len(items))


@app.post(
    "/products",
    response_model=Product,
    status_code=status.HTTP_201_CREATED,
    tags=["products"],
    responses={409: {"model": ErrorResponse, "description": "The SKU is taken."}},
)
def create_product(product: ProductCreate):
    if any(p.sku == product.sku for p in PRODUCTS.values()):
        raise HTTPException(status_code=409, detail="SKU taken")
    created = Product(id=uuid4(), created_at=now(), **product.model_dump())
    PRODUCTS[created.id] = created
    return created


@app.get(
    "/products/{product_id}",
    response_model=Product,
    tags=["products"],
    responses={**NOT_FOUND, 304: {"description": "Not modified."}},
)
def get_product(
    product_id: UUID,
    if_none_match: Annotated[str | None, Header()] = None,
):
    if product_id not in PRODUCTS:
        raise HTTPException(status_code=404, detail="No such product")
    return PRODUCTS[product_id]


@app.get(
    "/products/by-sku/{sku}", response_model=Product, tags=["products"], responses=NOT_FOUND
)
def get_product_by_sku(sku: Annotated[str, Path(pattern=r"^[A-Z]{3}-\d{4}$")]):
    for p in PRODUCTS.values():
        if p.sku == sku:
            return p
    raise HTTPException(status_code=404, detail="No such product")


@app.patch("/products/{product_id}", response_model=Product, tags=["products"], responses=NOT_FOUND)
def update_product(product_id: UUID, update: ProductUpdate):
    if product_id not in PRODUCTS:
        raise HTTPException(status_code=404, detail="No such product")
    changed = PRODUCTS[product_id].model_copy(update=update.model_dump(exclude_unset=True))
    PRODUCTS[product_id] = changed
    return changed


@app.delete(
    "/products/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["products"],
    responses=NOT_FOUND,
)
def delete_product(product_id: UUID):
    if PRODUCTS.pop(product_id, None) is None:
        raise HTTPException(status_code=404, detail="No such product")


@app.post(
    "/orders",
    response_model=Order,
    status_code=status.HTTP_201_CREATED,
    tags=["orders"],
    responses={422: {"model": ErrorResponse, "description": "Out of stock."}},
)
def create_order(
    order: OrderCreate,
    idempotency_key: Annotated[UUID, Header(alias="Idempotency-Key")],
):
    total = sum((line.unit_price.amount * line.quantity for line in order.lines), Decimal(0))
    created = Order(
        id=uuid4(),
        status=OrderStatus.pending,
        lines=order.lines,
        shipping_address=order.shipping_address,
        billing_address=order.billing_address,
        priority=order.priority,
        total=Money(amount=total),
        placed_at=now(),
        note=order.note,
    )
    ORDERS[created.id] = created
    return created


@app.get("/orders", response_model=list[Order], tags=["orders"])
def list_orders(filter: Annotated[OrderFilter, Query()]):
    return [o for o in ORDERS.values() if not filter.status or o.status in filter.status]


@app.get("/orders/{order_id}", response_model=Order, tags=["orders"], responses=NOT_FOUND)
def get_order(order_id: UUID):
    if order_id not in ORDERS:
        raise HTTPException(status_code=404, detail="No such order")
    return ORDERS[order_id]


@app.post(
    "/orders/{order_id}/cancel",
    response_model=Order,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["orders"],
    responses={**NOT_FOUND, 409: {"model": ErrorResponse, "description": "Already shipped."}},
)
def cancel_order(
    order_id: UUID,
    reason: Annotated[str | None, Query(max_length=200)] = None,
    notify_customer: bool = True,
):
    if order_id not in ORDERS:
        raise HTTPException(status_code=404, detail="No such order")
    order = ORDERS[order_id]
    if order.status == OrderStatus.shipped:
        raise HTTPException(status_code=409, detail="Already shipped")
    order.status = OrderStatus.cancelled
    return order


@app.get("/stats", response_model=Stats, tags=["stats"])
def stats(
    since: date | None = None,
    currency: Annotated[list[Currency], Query()] = [Currency.EUR],
):
    return Stats(revenue={}, orders_by_status={}, top_products=[], as_of=date.today())


@app.get("/stats/daily", response_model=dict[date, Decimal], tags=["stats"])
def daily_revenue(days: Annotated[int, Query(ge=1, le=90)] = 7):
    return {}
