"""What the lessee's sign-in 手机验证码登录 shows and does, testable without Flet.

Mobile number -> "get a code" (then a countdown until another may be asked) -> the code, and on
the first sign-in, when the server answers ``identity_required``, the last six characters of the
ID number too -> signed in. Time comes from `clock` (monotonic seconds) so tests choose it.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Protocol

from app_mobile.api import ApiError
from app_mobile.i18n import Translator
from common.api.auth import LesseeCodeSent, TokenPair
from common.identity import validate_mobile

CODE = re.compile(r"[0-9]{6}", re.ASCII)
LAST6 = re.compile(r"[0-9A-Za-z]{6}", re.ASCII)
DEFAULT_WAIT_S = 60  # when a refusal does not say how long


class LesseeApi(Protocol):
    """The calls of app_mobile.api.ApiClient this screen makes."""

    async def request_lessee_code(self, mobile: str) -> LesseeCodeSent: ...

    async def lessee_login(
        self, mobile: str, code: str, id_last6: str | None = None
    ) -> TokenPair: ...


class LesseeSignIn:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.mobile = ""
        self.code = ""
        self.id_last6 = ""
        self.needs_identity = False  # the server asked for the ID's last six
        self.code_sent = False
        self.busy = False
        self._resend_at = 0.0
        self._notice = ""  # an i18n key: what the screen says (a check of the input, "sent")
        self._failure: ApiError | None = None  # or what the server said
        self.success = False  # the notice is good news
        self.shown_by: object = None  # which build of the screen shows it (its countdown's)

    # -- what the screen shows -------------------------------------------------------------------
    def seconds_to_resend(self) -> int:
        return max(0, math.ceil(self._resend_at - self.clock()))

    def can_request_code(self) -> bool:
        return not self.busy and self.seconds_to_resend() == 0

    def code_button(self, t: Translator) -> str:
        left = self.seconds_to_resend()
        return t("resend_in", seconds=left) if left else t("get_code")

    def message(self, t: Translator) -> str:
        if self._failure is not None:
            return self._failure.message(t.language)
        return t(self._notice) if self._notice else ""

    def _say(self, notice: str = "", failure: ApiError | None = None, good: bool = False) -> None:
        self._notice, self._failure, self.success = notice, failure, good

    # -- what it does --------------------------------------------------------------------------
    async def request_code(self, api: LesseeApi) -> bool:
        """Asks for a code; True when one is on its way (the countdown then runs)."""
        check = validate_mobile(self.mobile)
        if not check.valid:
            self._say("enter_mobile")
            return False
        if not self.can_request_code():
            return False
        self.mobile = check.value
        self.busy = True
        try:
            sent = await api.request_lessee_code(check.value)
        except ApiError as exc:
            if exc.code == "otp_too_soon":
                self._resend_at = self.clock() + (exc.retry_after_s or DEFAULT_WAIT_S)
            self._say(failure=exc)
            return False
        finally:
            self.busy = False
        self.code_sent = True
        self._resend_at = self.clock() + sent.resend_after_s
        self._say("code_sent", good=True)
        return True

    async def sign_in(self, api: LesseeApi) -> TokenPair | None:
        """The token pair, or None with the reason in `message` (and, when the server wants the
        ID's last six, `needs_identity` set so the screen shows that field)."""
        check = validate_mobile(self.mobile)
        if not check.valid:
            self._say("enter_mobile")
            return None
        code = self.code.strip()
        if not CODE.fullmatch(code):
            self._say("enter_code")
            return None
        last6 = self.id_last6.strip()
        if self.needs_identity and not LAST6.fullmatch(last6):
            self._say("enter_id_last6")
            return None
        self.busy = True
        try:
            pair = await api.lessee_login(check.value, code, last6 if self.needs_identity else None)
        except ApiError as exc:
            if exc.code == "identity_required":
                self.needs_identity = True
                self._say("enter_id_last6")
            else:
                self._say(failure=exc)
            return None
        finally:
            self.busy = False
        self._say()
        return pair
