"""The one lookup of "is this id a dealer organisation": the dealer's account, its statements
and its floor plan all name a dealer by id, and all refuse the same way (404, nothing looked up
for an id that cannot be one)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation
from common.api.auth import OrganisationKind
from common.errors import NotFound

DEALER_NOT_FOUND = NotFound("dealer_not_found", "经销商不存在", "No such dealer")


async def dealer_org(db: AsyncSession, dealer_id: str | None) -> Organisation:
    """The dealer organisation `dealer_id`; 404 for anything else, including an id no
    organisation could have (too long, or characters PostgreSQL would refuse)."""
    if (
        not dealer_id
        or len(dealer_id) > 32
        or not (dealer_id.isascii() and dealer_id.isprintable())
    ):
        raise DEALER_NOT_FOUND
    org = await db.get(Organisation, dealer_id)
    if org is None or org.kind != OrganisationKind.DEALER.value:
        raise DEALER_NOT_FOUND
    return org
