"""The signing form 合同签署 of one contract, testable without a client: what the lessee has
ticked, the code they typed, and when a new code may be asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from common.api.contracts import SignRequest

CODE_WAIT_S = 60  # the server allows one code a minute (429 otp_too_soon before)
_CODE = re.compile(r"^\d{6}$")


@dataclass
class SigningForm:
    confirmations: dict[str, str]  # key -> the sentence the lessee confirms
    ticked: set[str] = field(default_factory=set)
    code: str = ""
    sent_to: str = ""  # masked mobile the last code went to
    wait_s: int = 0  # seconds until another code may be asked for

    def tick(self, key: str, on: bool) -> None:
        if key in self.confirmations:
            (self.ticked.add if on else self.ticked.discard)(key)

    def code_sent(self, sent_to: str) -> None:
        self.sent_to, self.wait_s = sent_to, CODE_WAIT_S

    def second_passed(self) -> None:
        self.wait_s = max(0, self.wait_s - 1)

    @property
    def may_ask_code(self) -> bool:
        return self.wait_s == 0 and self.all_ticked

    @property
    def all_ticked(self) -> bool:
        return self.ticked == set(self.confirmations)

    @property
    def ready(self) -> bool:
        return self.all_ticked and bool(self.sent_to) and bool(_CODE.match(self.code.strip()))

    def request(self, device: str) -> SignRequest:
        return SignRequest(
            code=self.code.strip(), confirmations=sorted(self.ticked), device=device[:200]
        )
