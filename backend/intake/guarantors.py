"""The guarantor 保证人 of an application: a natural person who answers for the lessee's
obligations. Stored encrypted on the application (with a masked copy for views), checked as
missing items like the customer (a valid adult resident ID and a mobile), named in the
contract as a party (checks: `common.intake.guarantor_items`)."""

from __future__ import annotations

import msgspec

from backend.db.models import Application
from backend.security.pii import PiiCipher
from common.api.intake import GuarantorInput, GuarantorView
from common.errors import DomainError
from common.identity import mask_id, mask_mobile, mask_name, normalise_mobile

CONTEXT = "application.guarantor"


def apply(app: Application, pii: PiiCipher, data: GuarantorInput | None) -> None:
    if data is None:
        app.guarantor_enc = app.guarantor_masked = None
        return
    name = data.name.strip()
    if not name:
        raise DomainError("guarantor_invalid", "请填写保证人姓名", "Enter the guarantor's name",
                          fields={"guarantor.name": "guarantor_invalid"})  # fmt: skip
    clean = GuarantorInput(
        name=name, id_number="".join(data.id_number.split()).upper(),
        mobile=normalise_mobile(data.mobile), relation=data.relation.strip(),
    )  # fmt: skip
    app.guarantor_enc = pii.encrypt(msgspec.json.encode(clean).decode(), context=CONTEXT)
    app.guarantor_masked = msgspec.to_builtins(
        GuarantorView(
            mask_name(clean.name),
            mask_id(clean.id_number),
            mask_mobile(clean.mobile),
            clean.relation,
        )
    )


def reveal(app: Application, pii: PiiCipher) -> GuarantorInput | None:
    """In clear, for checks and the contract; never for a response."""
    if app.guarantor_enc is None:
        return None
    return msgspec.json.decode(pii.decrypt(app.guarantor_enc, context=CONTEXT), type=GuarantorInput)


def view(app: Application) -> GuarantorView | None:
    return (
        None
        if app.guarantor_masked is None
        else msgspec.convert(app.guarantor_masked, GuarantorView)
    )
