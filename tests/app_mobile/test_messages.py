"""What the app says when something fails or succeeds, in the user's language (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime

from app_mobile.api import upload_failure
from app_mobile.state.review import review_notice
from common.api.intake import (
    ApplicationStatus,
    ApplicationView,
    CustomerKind,
    CustomerView,
    LeaseType,
    VehicleView,
)
from common.api.risk import ReviewDecision

UPLOAD_ERROR = (
    'Upload endpoint returned code 422: {"status":422,"code":"image_invalid",'
    '"title":"文件不是有效的图片","detail":"The file is not a valid image"}'
)


def test_a_refused_upload_says_the_servers_message_in_the_users_language() -> None:
    problem = upload_failure(UPLOAD_ERROR)
    assert problem is not None and problem.code == "image_invalid"
    assert problem.message("zh") == "文件不是有效的图片"
    assert problem.message("en") == "The file is not a valid image"


def test_an_upload_error_without_a_problem_body_is_not_invented() -> None:
    assert upload_failure("XMLHttpRequest error") is None
    assert upload_failure("code 500: {not json") is None


def _case() -> ApplicationView:
    now = datetime(2026, 5, 20, tzinfo=UTC)
    vehicle = VehicleView(vin="LSVAU218XN2183294", vin_valid=True, maker=None, model_year=2022,
                          catalogue_model_id=None, catalogue_model_name=None, vehicle_type=None,
                          mileage_km=0, price=None, is_new=True)  # fmt: skip
    customer = CustomerView(id="c", kind=CustomerKind.PERSON, name="张*", id_number="1101**",
                            mobile="138****5678", region_code=None)  # fmt: skip
    return ApplicationView(id="51629692abc", status=ApplicationStatus.IN_REVIEW,
                           lease_type=LeaseType.DIRECT_LEASE, vehicle=vehicle, customer=customer,
                           quote=None, quote_request=None, photos=[], missing=[], version=3,
                           created_at=now, updated_at=now)  # fmt: skip


def test_after_a_review_the_verdict_is_said_in_words_not_as_an_id() -> None:
    assert review_notice(ReviewDecision.APPROVE, _case()) == "已批准：张* · LSVAU218XN2183294"
    assert review_notice(ReviewDecision.DECLINE, _case(), "en").startswith("Declined: 张*")
    assert "51629692" not in review_notice(ReviewDecision.APPROVE, _case())
