"""A pet clinic: owners, their pets and the shapes of enclosures.

Covers: optional and nullable fields (`Optional[X]`, `X | None = None`, required nullable),
plain unions (`Union[A, B]`, `int | str`), discriminated unions (`Field(discriminator=...)`
with Literal tags, enum tags, multi-tag members, a callable `Discriminator` with `Tag`s),
a union as a whole request and response body, a recursive model, and responses of several
models by status code.
"""

from enum import Enum
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import Body, FastAPI, HTTPException, Query, status
from pydantic import BaseModel, Discriminator, Field, Tag

app = FastAPI(title="Pet clinic", version="2.0.1")


class Cat(BaseModel):
    pet_type: Literal["cat"]
    name: str
    meows: int = 0
    indoor: bool | None = None


class Dog(BaseModel):
    pet_type: Literal["dog"]
    name: str
    barks: float
    breed: Optional[str]


class Lizard(BaseModel):
    pet_type: Literal["reptile", "lizard"]
    name: str
    scales: bool = True


Pet = Annotated[Union[Cat, Dog, Lizard], Field(discriminator="pet_type")]


class Email(BaseModel):
    kind: Literal["email"] = "email"
    address: str


class Phone(BaseModel):
    kind: Literal["phone"] = "phone"
    number: str
    country_code: int = 44


class Owner(BaseModel):
    id: int
    name: str
    pets: list[Pet] = []
    favourite: Optional[Pet] = None
    nickname: Optional[str] = None
    age: int | None
    contact: Union[Email, Phone]
    identifier: int | str
    score: float | int | None = None
    tags: list[str] | None = None
    extra: dict[str, Any] | None = None
    emergency_contacts: list[Email | Phone] = []


class ShapeKind(str, Enum):
    circle = "circle"
    rect = "rect"


class Circle(BaseModel):
    kind: Literal[ShapeKind.circle]
    radius: float = Field(gt=0)


class Rect(BaseModel):
    kind: Literal[ShapeKind.rect]
    width: float = Field(gt=0)
    height: float = Field(gt=0)


Shape = Annotated[Union[Circle, Rect], Field(discriminator="kind")]


class Enclosure(BaseModel):
    name: str
    shape: Shape
    heated: bool = False


class Visit(BaseModel):
    reason: str
    fee: float


class Vaccination(BaseModel):
    vaccine: str
    booster_due: str | None = None


def record_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "vaccination" if "vaccine" in value else "visit"
    return "vaccination" if hasattr(value, "vaccine") else "visit"


Record = Annotated[
    Union[Annotated[Visit, Tag("visit")], Annotated[Vaccination, Tag("vaccination")]],
    Discriminator(record_kind),
]


class Category(BaseModel):
    """A recursive model: a tree of categories."""

    name: str
    children: list["Category"] = []
    parent: Optional["Category"] = None


class Accepted(BaseModel):
    job_id: str
    status: Literal["queued"] = "queued"


class NotFound(BaseModel):
    detail: str


OWNERS: dict[int, Owner] = {}
PETS: list[Cat | Dog | Lizard] = []


@app.get("/pets", response_model=list[Pet], tags=["pets"])
def list_pets(
    pet_type: Annotated[list[Literal["cat", "dog", "reptile", "lizard"]], Query()] = [],
    name: Optional[str] = None,
):
    return [p for p in PETS if not pet_type or p.pet_type in pet_type]


@app.post("/pets", response_model=Pet, status_code=status.HTTP_201_CREATED, tags=["pets"])
def create_pet(pet: Annotated[Pet, Body()]):
    PETS.append(pet)
    return pet


@app.get(
    "/pets/{pet_id}",
    response_model=Union[Cat, Dog],
    tags=["pets"],
    responses={404: {"model": NotFound}},
)
def get_pet(pet_id: int | str):
    raise HTTPException(status_code=404, detail="No such pet")


@app.get("/owners/{owner_id}", response_model=Owner, tags=["owners"], responses={404: {"model": NotFound}})
def get_owner(owner_id: int):
    if owner_id not in OWNERS:
        raise HTTPException(status_code=404, detail="No such owner")
    return OWNERS[owner_id]


@app.put(
    "/owners/{owner_id}",
    response_model=Owner,
    tags=["owners"],
    responses={
        202: {"model": Accepted, "description": "Stored later."},
        404: {"model": NotFound},
    },
)
def put_owner(owner_id: int, owner: Owner):
    OWNERS[owner_id] = owner
    return owner


@app.get("/search", response_model=list[Union[Owner, Cat, Dog, Lizard]], tags=["search"])
def search(
    q: int | str,
    kind: Literal["owner", "pet"] | None = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
):
    return []


@app.post("/enclosures/area", response_model=dict[str, float], tags=["enclosures"])
def areas(shapes: list[Shape]):
    return {}


@app.post("/enclosures", response_model=Enclosure, status_code=201, tags=["enclosures"])
def create_enclosure(enclosure: Enclosure):
    return enclosure


@app.post("/pets/{pet_id}/records", response_model=list[Record], tags=["pets"])
def add_records(pet_id: int, records: list[Record]):
    return records


@app.get("/categories", response_model=Category, tags=["categories"])
def categories(depth: Annotated[int, Query(ge=0, le=5)] = 1):
    return Category(name="root")
