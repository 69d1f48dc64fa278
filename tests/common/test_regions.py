from common.regions import province_name


def test_a_code_names_its_province():
    assert province_name("44") == "广东省"
    assert province_name("440300") == "广东省"
    assert province_name("110105") == "北京市"
    assert province_name("65") == "新疆维吾尔自治区"


def test_what_is_no_province_code_has_no_name():
    assert province_name("") is None
    assert province_name("4") is None
    assert province_name("xx0000") is None
    assert province_name("99") is None
