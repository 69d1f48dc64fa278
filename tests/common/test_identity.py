"""Identity numbers: VIN, resident ID / residence permits, USCC, mobile, masking."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from common.errors import DomainError
from common.identity import (
    REASONS,
    age_on,
    check_digit,
    decode_vin,
    mask_id,
    mask_mobile,
    mask_name,
    model_year,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
    validate_vin,
)

TODAY = date(2026, 5, 20)  # an injected business date: no test reads the clock


def id_with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def with_check_digit(vin: str) -> str:
    return vin[:8] + check_digit(vin) + vin[9:]


# --- VIN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vin", "digit"),
    [
        ("1M8GDM9AXKP042788", "X"),  # the NHTSA worked example
        ("11111111111111111", "1"),
        ("JHMCM56557C404453", "5"),
    ],
)
def test_check_digit_of_public_examples(vin: str, digit: str) -> None:
    assert check_digit(vin) == digit
    assert validate_vin(vin).valid


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "vin_empty"),
        ("LSVAU2180N218329", "vin_length"),
        ("LSVAU2180N21832945", "vin_length"),
        ("LSVAU2180N21832O4", "vin_illegal_char"),  # letter O
        ("LSVAU2180N2183Q94", "vin_illegal_char"),
        ("LSVAU2180N2183294", "vin_check_digit"),  # China-built: check digit is X
    ],
)
def test_invalid_vins_give_a_reason(raw: str, reason: str) -> None:
    check = validate_vin(raw)
    assert not check.valid
    assert check.reason == reason
    assert (check.message, check.message_en) == REASONS[reason]


def test_china_built_vin_with_its_check_digit_is_valid_and_decoded() -> None:
    vin = with_check_digit("LSVAU2180N2183294")
    check = validate_vin(vin, as_of=TODAY)
    assert check.valid
    assert check.facts is not None
    assert check.facts.maker == "SAIC Volkswagen"
    assert check.facts.country == "China"
    assert check.facts.model_year == 2022
    assert check.facts.check_digit_valid


def test_import_without_check_digit_is_accepted_with_a_warning() -> None:
    # A European Porsche VIN (Wikipedia's example) never used position 9 as a check digit.
    check = validate_vin("WP0ZZZ99ZTS392124", as_of=date(2024, 6, 1))
    assert check.valid
    assert "check_digit_mismatch" in check.warnings
    assert check.facts is not None
    assert (check.facts.maker, check.facts.country, check.facts.model_year) == (
        "Porsche",
        "Germany",
        1996,
    )


def test_code39_leading_i_and_separators_are_removed() -> None:
    vin = with_check_digit("LFVBA24B0E3012345")
    assert validate_vin("I" + vin).value == vin
    assert validate_vin(f" {vin[:8].lower()}-{vin[8:]} ").value == vin


@pytest.mark.parametrize(
    ("wmi", "maker"),
    [
        ("LFV", "FAW-Volkswagen"),
        ("LSG", "SAIC General Motors"),
        ("LGW", "Great Wall Motor"),
        ("LRW", "Tesla (Shanghai)"),
        ("WBA", "BMW"),
        ("JTD", "Toyota"),  # by the JT block
        ("LXX", None),  # unknown: no guess
    ],
)
def test_maker_from_wmi(wmi: str, maker: str | None) -> None:
    assert decode_vin(with_check_digit(wmi + "AB1230E3012345")).maker == maker


@pytest.mark.parametrize(
    ("code", "as_of", "year"),
    [
        ("A", TODAY, 2010),
        ("Y", TODAY, 2000),  # not 2030: never later than next year (JTDJDYZW8YL403135)
        ("1", TODAY, 2001),
        ("9", TODAY, 2009),
        ("T", date(2027, 1, 1), 2026),  # 2026 turns up once next year's models are sold
        ("T", date(2024, 1, 1), 1996),
        ("S", date(2024, 12, 1), 2025),  # model years run a year ahead
        ("R", date(2024, 1, 1), 2024),
        ("Y", date(2029, 3, 1), 2030),
        ("U", TODAY, None),
        ("0", TODAY, None),
    ],
)
def test_model_year_from_position_10(code: str, as_of: date, year: int | None) -> None:
    assert model_year(code, as_of=as_of) == year


def test_a_year_2000_vin_decodes_to_2000_in_2026() -> None:
    check = validate_vin("JTDJDYZW8YL403135", as_of=TODAY)
    assert check.facts is not None and check.facts.model_year == 2000


def test_without_a_date_no_model_year_is_guessed() -> None:
    check = validate_vin("JTDJDYZW8YL403135")
    assert check.valid and check.facts is not None and check.facts.model_year is None


@settings(max_examples=200)
@given(st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=17, max_size=17))
def test_any_single_character_change_breaks_a_china_vin(body: str) -> None:
    vin = with_check_digit("L" + body[1:])
    assert validate_vin(vin).valid
    position = next(i for i in range(17) if i != 8)  # first non-check position
    replacement = "2" if vin[position] != "2" else "3"
    altered = vin[:position] + replacement + vin[position + 1 :]
    if altered[0] == "L":
        assert validate_vin(altered).reason == "vin_check_digit"


def test_raise_if_invalid_names_the_field() -> None:
    with pytest.raises(DomainError) as caught:
        validate_vin("123").raise_if_invalid("vehicle.vin")
    assert caught.value.code == "vin_length"
    assert caught.value.fields == {"vehicle.vin": "vin_length"}


# --- resident ID -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "born", "sex", "region"),
    [
        ("11010519491231002X", date(1949, 12, 31), "F", "110105"),  # the GB 11643 example
        ("360426199101010071", date(1991, 1, 1), "M", "360426"),  # python-stdnum's example
    ],
)
def test_valid_resident_ids_are_decoded(number: str, born: date, sex: str, region: str) -> None:
    check = validate_resident_id(number, as_of=TODAY)
    assert check.valid
    assert (check.kind, check.birth_date, check.sex, check.region_code) == (
        "resident",
        born,
        sex,
        region,
    )
    assert check.region_name


def test_region_name_comes_from_the_division_table() -> None:
    assert validate_resident_id("11010519491231002X", as_of=TODAY).region_name == "北京市朝阳区"


@pytest.mark.parametrize(
    ("number", "kind", "name"),
    [
        ("810000199001010019", "hk_permit", "香港"),
        ("820000199001010029", "macau_permit", "澳门"),
        ("830000199001010039", "tw_permit", "台湾"),
    ],
)
def test_hk_macau_taiwan_residence_permits(number: str, kind: str, name: str) -> None:
    check = validate_resident_id(number, as_of=TODAY)
    assert check.valid, check.reason
    assert (check.kind, check.region_name, check.birth_date) == (kind, name, date(1990, 1, 1))


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "id_empty"),
        ("11010519491231002", "id_length"),
        ("110105194912310", "id_length"),  # old 15-digit numbers are no longer issued
        ("1101051949123100AX", "id_format"),
        ("110105194912310021", "id_checksum"),
        ("810000199001010010", "id_checksum"),
        (id_with_check("11010519490230002"), "id_birth_date"),  # 30 February
        (id_with_check("11010518991231002"), "id_birth_date"),  # before 1900
        (id_with_check("99000019900101001"), "id_region"),
    ],
)
def test_invalid_resident_ids(number: str, reason: str) -> None:
    assert validate_resident_id(number, as_of=TODAY).reason == reason


def test_a_birth_date_in_the_future_is_invalid() -> None:
    check = validate_resident_id("440304203006153213", as_of=TODAY)  # born 2030-06-15
    assert (check.valid, check.reason) == (False, "id_birth_date")


def test_age_counts_from_the_birthday() -> None:
    assert age_on(date(2008, 6, 15), date(2026, 6, 14)) == 17
    assert age_on(date(2008, 6, 15), date(2026, 6, 15)) == 18


def test_birth_date_after_as_of_is_invalid() -> None:
    number = id_with_check("11010520300101002")
    assert validate_resident_id(number, as_of=date(2026, 1, 1)).reason == "id_birth_date"


def test_lower_case_x_and_spaces_are_accepted() -> None:
    assert validate_resident_id("110105 19491231 002x", as_of=TODAY).value == "11010519491231002X"


# --- USCC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "authority"),
    [
        ("91110000600037341L", "市场监督管理"),  # python-stdnum's example
        ("91310115MA1K3YJ80H", "市场监督管理"),
        ("Y1110000600037341Y", "其他"),  # letter authorities that stdnum rejects
        ("N21100006000373414", "农业"),
        ("A1110000600037341K", "中央军委改革和编制办公室"),
    ],
)
def test_valid_uscc(code: str, authority: str) -> None:
    check = validate_uscc(code)
    assert check.valid, check.reason
    assert check.authority == authority
    assert check.region_code == code[2:8]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "uscc_empty"),
        ("91110000600037341", "uscc_length"),
        ("9111000060003734IL", "uscc_format"),  # I is not in the USCC alphabet
        ("9A110000600037341L", "uscc_format"),  # entity type and region are digits
        ("B1110000600037341L", "uscc_authority"),
        ("91110000600037341M", "uscc_checksum"),
    ],
)
def test_invalid_uscc(code: str, reason: str) -> None:
    assert validate_uscc(code).reason == reason


# --- mobile -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "19912345678"]
)
def test_valid_mobiles_are_normalised(raw: str) -> None:
    check = validate_mobile(raw)
    assert check.valid
    assert len(check.value) == 11


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "mobile_empty"),
        ("12812345678", "mobile_format"),
        ("1381234567", "mobile_format"),
        ("138123456789", "mobile_format"),
        ("010-12345678", "mobile_format"),
    ],
)
def test_invalid_mobiles(raw: str, reason: str) -> None:
    assert validate_mobile(raw).reason == reason


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "value", "masked"),
    [
        (mask_id, "110105199001011234", "1101**********1234"),
        (mask_id, "91110000600037341L", "9111**********341L"),
        (mask_id, "12345", "****5"),
        (mask_mobile, "13812345678", "138****5678"),
        (mask_mobile, "+8613812345678", "**********5678"),
        (mask_name, "张三", "张*"),
        (mask_name, "王小明", "王*明"),
        (mask_name, "欧阳娜娜", "欧**娜"),
        (mask_name, "Li Wei", "L* W**"),
        (mask_name, "", ""),
    ],
)
def test_masking(func: object, value: str, masked: str) -> None:
    assert callable(func)
    assert func(value) == masked
