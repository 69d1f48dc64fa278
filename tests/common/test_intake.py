"""What an application still needs before it can be submitted, field by field."""

from __future__ import annotations

from datetime import date

import pytest

from common.intake import IntakeSnapshot, missing_items

TODAY = date(2026, 5, 20)

COMPLETE_PERSON = IntakeSnapshot(
    vin="LSVAU218XN2183294",
    customer_kind="person",
    customer_name="张三",
    customer_id_number="11010519491231002X",
    customer_mobile="13812345678",
    photo_kinds={"id_front", "id_back", "customer_face", "driving_licence", "vehicle"},
    has_quote=True,
    as_of=TODAY,
)


def with_(**changes: object) -> IntakeSnapshot:
    return IntakeSnapshot(**{**COMPLETE_PERSON.__dict__, **changes})  # type: ignore[arg-type]


def test_a_complete_application_misses_nothing() -> None:
    assert missing_items(COMPLETE_PERSON) == []


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"vin": None}, "vehicle.vin", "vin_missing"),
        ({"vin": "LSVAU2180N2183294"}, "vehicle.vin", "vin_check_digit"),
        ({"customer_kind": None}, "customer", "customer_missing"),
        ({"customer_name": " "}, "customer.name", "name_missing"),
        ({"customer_id_number": "110105194912310021"}, "customer.id_number", "id_checksum"),
        ({"customer_mobile": "1381234567"}, "customer.mobile", "mobile_format"),
        (
            {"photo_kinds": {"id_front", "id_back", "customer_face", "vehicle"}},
            "photos.driving_licence",
            "photo_missing",
        ),
        (
            {"photo_kinds": {"id_front", "id_back", "driving_licence", "vehicle"}},
            "photos.customer_face",
            "photo_missing",
        ),
        ({"has_quote": False}, "quote", "quote_missing"),
        # born 2030-06-15: a birth date after today is invalid
        ({"customer_id_number": "440304203006153213"}, "customer.id_number", "id_birth_date"),
        # born 2010-01-01: 16 years old
        ({"customer_id_number": "110105201001010010"}, "customer.id_number", "applicant_under_age"),
    ],
)
def test_each_gap_is_named_with_its_field_and_code(changes, field, code) -> None:
    gaps = missing_items(with_(**changes))
    assert [(g.field, g.code) for g in gaps] == [(field, code)]
    assert gaps[0].message  # in Chinese, for the clerk
    assert gaps[0].message_en and gaps[0].message_en != gaps[0].message  # and in English


def test_a_product_may_ask_for_an_older_applicant() -> None:
    born_2006 = "11010520060101001X"
    assert missing_items(with_(customer_id_number=born_2006)) == []
    gaps = missing_items(with_(customer_id_number=born_2006, min_age=21))
    assert [(g.code, g.message_en) for g in gaps] == [
        ("applicant_under_age", "The applicant is under 21")
    ]


def test_a_company_needs_its_licence_and_the_legal_representatives_id_not_a_driving_licence() -> (
    None
):
    company = with_(
        customer_kind="company",
        customer_id_number="91350100M000100Y43",
        photo_kinds={"business_licence", "id_front", "id_back", "customer_face", "vehicle"},
        representative_name="王芳",
        representative_id_number="11010519491231002X",
    )
    assert missing_items(company) == []
    gaps = missing_items(with_(**{**company.__dict__, "photo_kinds": COMPLETE_PERSON.photo_kinds}))
    assert [g.field for g in gaps] == ["photos.business_licence"]
    assert gaps[0].message == "请上传营业执照"


def test_a_company_names_its_authorised_person_with_a_valid_adult_id() -> None:
    company = with_(
        customer_kind="company",
        customer_id_number="91350100M000100Y43",
        photo_kinds={"business_licence", "id_front", "id_back", "customer_face", "vehicle"},
    )
    gaps = missing_items(company)
    assert [(g.field, g.code) for g in gaps] == [
        ("customer.representative_name", "representative_missing"),
        ("customer.representative_id_number", "id_empty"),
    ]
    child = with_(**{**company.__dict__, "representative_name": "王小明",
                     "representative_id_number": "110105201501010041"})  # fmt: skip
    (gap,) = missing_items(child)
    assert gap.field == "customer.representative_id_number" and gap.code == "applicant_under_age"
    # a person's filing needs no authorised person, whatever is left in those fields
    assert missing_items(with_(representative_name=None)) == []
