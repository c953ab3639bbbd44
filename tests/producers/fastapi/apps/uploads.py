"""A document store: uploads, downloads and forms.

Covers: `UploadFile`, `bytes = File()`, an optional file, a list of files, multipart bodies
with extra form fields (text, numbers, booleans, enums, lists), a form model, an
`application/x-www-form-urlencoded` login form (OAuth2 password flow), binary and image
responses, and a raw request body declared through `openapi_extra` with a pydantic schema.
"""

import json
from datetime import datetime
from enum import Enum
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

app = FastAPI(title="Document store", version="0.9.0")

oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read", "write": "Write"})


class DocKind(str, Enum):
    report = "report"
    invoice = "invoice"
    image = "image"


class StoredFile(BaseModel):
    id: str
    filename: str
    content_type: str | None
    size: int = Field(ge=0)
    uploaded_at: datetime


class Document(BaseModel):
    id: str
    title: str
    description: str | None = None
    kind: DocKind
    public: bool
    pages: int
    file: StoredFile
    thumbnail: StoredFile | None = None
    labels: list[str] = []


class Album(BaseModel):
    name: str
    files: list[StoredFile]


class FileSize(BaseModel):
    size: int


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int | None = None


class Profile(BaseModel):
    display_name: str = Field(min_length=1, max_length=64)
    bio: str | None = Field(default=None, max_length=280)
    newsletter: bool = False
    language: str = "en"


class ManifestEntry(BaseModel):
    path: str
    kind: DocKind = DocKind.report
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    """A manifest sent as YAML (in its JSON form): declared with `openapi_extra`, parsed by hand."""

    name: str
    version: str
    entries: list[ManifestEntry] = []
    options: dict[str, str] = {}


def stored(file: UploadFile | None) -> StoredFile | None:
    if file is None:
        return None
    return StoredFile(
        id="f1",
        filename=file.filename or "",
        content_type=file.content_type,
        size=file.size or 0,
        uploaded_at=datetime.now(),
    )


@app.post("/token", response_model=Token, tags=["auth"])
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    if form.password != "secret":
        raise HTTPException(status_code=400, detail="Incorrect username or password")
    return Token(access_token=form.username)


@app.post("/files/raw", response_model=FileSize, tags=["files"])
def upload_raw(file: Annotated[bytes, File(description="The file's bytes.")]):
    return FileSize(size=len(file))


@app.post("/files", response_model=StoredFile, status_code=status.HTTP_201_CREATED, tags=["files"])
def upload_file(file: UploadFile, token: Annotated[str, Depends(oauth2)]):
    return stored(file)


@app.post("/albums", response_model=Album, status_code=status.HTTP_201_CREATED, tags=["files"])
def upload_album(
    files: Annotated[list[UploadFile], File(description="One or more images.")],
    name: Annotated[str, Form(min_length=1)],
    tags: Annotated[list[str], Form()] = [],
):
    return Album(name=name, files=[stored(f) for f in files])


@app.post(
    "/documents",
    response_model=Document,
    status_code=status.HTTP_201_CREATED,
    tags=["documents"],
    responses={413: {"description": "The file is too large."}},
)
def create_document(
    title: Annotated[str, Form(min_length=1, max_length=200)],
    file: Annotated[UploadFile, File()],
    kind: Annotated[DocKind, Form()] = DocKind.report,
    description: Annotated[str | None, Form()] = None,
    public: Annotated[bool, Form()] = False,
    pages: Annotated[int, Form(ge=1)] = 1,
    labels: Annotated[list[str], Form()] = [],
    thumbnail: Annotated[UploadFile | None, File()] = None,
):
    return Document(
        id="d1",
        title=title,
        description=description,
        kind=kind,
        public=public,
        pages=pages,
        file=stored(file),
        thumbnail=stored(thumbnail),
        labels=labels,
    )


@app.put("/profile", response_model=Profile, tags=["profile"])
def update_profile(profile: Annotated[Profile, Form()]):
    return profile


@app.get(
    "/files/{file_id}/content",
    response_class=FileResponse,
    tags=["files"],
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The file's bytes."},
        404: {"description": "No such file."},
    },
)
def download(file_id: str):
    return FileResponse(f"/srv/files/{file_id}")


@app.get(
    "/files/{file_id}/thumbnail",
    response_class=Response,
    tags=["files"],
    responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}},
)
def thumbnail(file_id: str, size: int = 128):
    return Response(content=b"", media_type="image/png")


@app.get("/exports/{export_id}.csv", response_class=StreamingResponse, tags=["files"])
def export_csv(export_id: int):
    return StreamingResponse(iter(["a,b\n"]), media_type="text/csv")


# FastAPI's documented way to declare a body it does not parse: `openapi_extra` with the
# model's own JSON Schema. That schema keeps its `$defs` and refers to them as `#/$defs/...`,
# relative to itself rather than to the OpenAPI document.
@app.post(
    "/manifests",
    response_model=Manifest,
    tags=["documents"],
    openapi_extra={
        "requestBody": {
            "content": {"application/x-yaml": {"schema": Manifest.model_json_schema()}},
            "required": True,
        }
    },
)
async def upload_manifest(request: Request):
    return Manifest.model_validate(json.loads(await request.body()))
