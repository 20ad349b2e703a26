"""A small OAuth-protected FastAPI app whose OpenAPI 3.1 document the corpus harness generates,
compiles and round-trips (tests/corpus/run.py, source `apps`).

OAuth2 password flow (`OAuth2PasswordBearer`, token endpoint `/token` with the form FastAPI
reads) and a client-credentials-protected route (`OAuth2` with a `clientCredentials` flow);
models with Optional fields, a Union, an Enum, nested lists and examples.

`python app.py` prints the document (`app.openapi()`) as JSON on stdout; no server is run.
"""

import json
from datetime import datetime
from enum import Enum
from typing import Annotated, Literal, Optional, Union

from fastapi import Depends, FastAPI, HTTPException, Query, Security
from fastapi.security import OAuth2, OAuth2PasswordBearer, OAuth2PasswordRequestForm
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from pydantic import BaseModel, ConfigDict, Field

password_scheme = OAuth2PasswordBearer(
    tokenUrl="token",
    scopes={"items:read": "Read items", "items:write": "Create and change items"},
)


class ClientCredentialsBearer(OAuth2):
    """OAuth2 with the client credentials flow (FastAPI ships only the password one)."""

    def __init__(self, token_url: str, scopes: dict):
        super().__init__(
            flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl=token_url, scopes=scopes)),
            scheme_name="ClientCredentials",
            auto_error=True,
        )


client_scheme = ClientCredentialsBearer(token_url="token", scopes={"reports": "Read usage reports"})


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: Optional[int] = None
    refresh_token: Optional[str] = None
    scope: Optional[str] = None

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "bearer", "expires_in": 3600},
    ]})


class Dimensions(BaseModel):
    width: float
    height: float
    unit: Literal["cm", "in"] = "cm"


class Tag(BaseModel):
    name: str = Field(min_length=1, max_length=32)
    weight: Optional[float] = None


class Item(BaseModel):
    id: int
    name: str
    description: Optional[str] = None
    price: float = Field(gt=0)
    color: Color = Color.red
    tags: list[Tag] = []
    dimensions: Optional[Dimensions] = None
    # A Union of two models, and one of scalars.
    origin: Union[Dimensions, Tag, None] = None
    code: Union[int, str]
    created_at: Optional[datetime] = None

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": 1, "name": "Widget", "price": 9.5, "color": "green", "code": 17,
         "tags": [{"name": "tools", "weight": 0.5}], "dimensions": {"width": 2.0, "height": 3.5, "unit": "in"},
         "created_at": "2024-05-01T12:30:00Z"},
        {"id": 2, "name": "Gadget", "description": None, "price": 1, "code": "G-2", "origin": {"name": "imported"}},
    ]})


class ItemCreate(BaseModel):
    name: str
    description: Optional[str] = None
    price: float = Field(gt=0, examples=[12.25])
    color: Optional[Color] = None
    tags: Optional[list[Tag]] = None


class Report(BaseModel):
    period: str
    calls: int
    by_color: dict[str, int] = {}


class Problem(BaseModel):
    detail: str


app = FastAPI(title="FastAPI OAuth corpus app", version="1.0.0")


@app.post("/token", response_model=Token, tags=["oauth"])
async def token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """Issues a token for the password grant (RFC 6749 §4.3)."""
    if form.password != "secret":
        raise HTTPException(status_code=400, detail="invalid_grant")
    return Token(access_token="t", expires_in=3600)


@app.get("/items", response_model=list[Item], tags=["items"])
async def list_items(
    _: Annotated[str, Security(password_scheme, scopes=["items:read"])],
    color: Optional[Color] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[Item]:
    return []


@app.post("/items", response_model=Item, status_code=201, tags=["items"],
          responses={409: {"model": Problem, "description": "Already exists"}})
async def create_item(
    item: ItemCreate,
    _: Annotated[str, Security(password_scheme, scopes=["items:write"])],
) -> Item:
    return Item(id=1, name=item.name, price=item.price, code=1)


@app.get("/items/{item_id}", response_model=Item, tags=["items"],
         responses={404: {"model": Problem, "description": "Not found"}})
async def get_item(item_id: int, _: Annotated[str, Security(password_scheme, scopes=["items:read"])]) -> Item:
    raise HTTPException(status_code=404, detail="not found")


@app.get("/reports/usage", response_model=Report, tags=["reports"])
async def usage_report(_: Annotated[str, Depends(client_scheme)], period: str = "day") -> Report:
    return Report(period=period, calls=0)


if __name__ == "__main__":
    print(json.dumps(app.openapi(), indent=2))
