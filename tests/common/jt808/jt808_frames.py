"""Frames written by hand from the JT/T 808 layouts, one field a line (shared by the tests)."""

from __future__ import annotations


def hexframe(*fields: str) -> bytes:
    """Join hex fields (spaces allowed) into bytes."""
    return bytes.fromhex("".join("".join(fields).split()))


PHONE_2013 = "013912345678"

HEARTBEAT_2013 = hexframe(
    "7e",
    "0002",  # message id: heartbeat 0x0002
    "0000",  # body properties: length 0, no sub-package, bit 14 clear (2013)
    "013912345678",  # BCD[6] terminal phone number
    "0001",  # serial 1
    "33",  # check code: XOR of the 12 header bytes
    "7e",
)

LOCATION_2013 = hexframe(
    "7e",
    "0200",  # message id: location report
    "0028",  # body properties: length 40
    "013912345678",  # phone
    "0007",  # serial 7
    "00000101",  # alarm: bit 0 emergency, bit 8 main power cut
    "00000003",  # status: bit 0 ACC on, bit 1 positioned; north, east
    "0260f554",  # latitude 39908692 = 39.908692° N (Tian'anmen)
    "06f015a5",  # longitude 116397477 = 116.397477° E
    "002c",  # altitude 44 m
    "0258",  # speed 600 = 60.0 km/h
    "005a",  # direction 90° (east)
    "241202083000",  # BCD time 2024-12-02 08:30:00 UTC+8
    "01 04 00000fa0",  # item 0x01 mileage, 4 bytes: 4000 = 400.0 km
    "30 01 1f",  # item 0x30 signal strength 31
    "31 01 0c",  # item 0x31 12 satellites
    "03",  # check code
    "7e",
)

SOUTH_WEST_2013 = hexframe(
    "7e",
    "0200",  # location report
    "001c",  # length 28: no additional items
    "013912345678",
    "0008",  # serial 8
    "00000000",  # no alarm
    "0000000e",  # status: positioned, bit 2 south, bit 3 west
    "021002ca",  # latitude 34603722 -> 34.603722° S (Buenos Aires)
    "037ad518",  # longitude 58381592 -> 58.381592° W
    "0019",  # altitude 25 m
    "0000",  # speed 0
    "010e",  # direction 270° (west)
    "241202000000",  # 2024-12-02 00:00:00 UTC+8 = 2024-12-01 16:00 UTC
    "64",  # check code
    "7e",
)

REGISTER_2013 = hexframe(
    "7e",
    "0100",  # terminal register
    "002d",  # length 45
    "013912345678",
    "0002",  # serial 2
    "002c",  # province 44 (Guangdong)
    "0300",  # city 0x0300
    "3730313131",  # maker id BYTE[5] "70111"
    "4a543830382d5431 000000000000000000000000",  # model BYTE[20] "JT808-T1", NUL-padded
    "54303030303031",  # terminal id BYTE[7] "T000001"
    "02",  # plate colour 2 (yellow)
    "bea9413132333435",  # plate STRING (GBK) "京A12345"
    "51",  # check code
    "7e",
)

REGISTER_2019 = hexframe(
    "7e",
    "0100",  # terminal register
    "405d",  # body properties: bit 14 (2019) + length 93
    "01",  # protocol version 1
    "00000000013912345678",  # BCD[10] phone
    "0003",  # serial 3
    "002c",  # province 44
    "0300",  # city
    "3730313131 000000000000",  # maker id BYTE[11] "70111"
    "4a543830382d5431" + "00" * 22,  # model BYTE[30] "JT808-T1"
    "54303030303031" + "00" * 23,  # terminal id BYTE[30] "T000001"
    "00",  # plate colour 0: no plate, the VIN follows
    "4c53564155323138304e32313833323934",  # VIN "LSVAU2180N2183294"
    "2b",  # check code
    "7e",
)

AUTH_2013 = hexframe(
    "7e",
    "0102",  # terminal auth
    "0008",  # length 8
    "013912345678",
    "0004",  # serial 4
    "4155544831323334",  # auth code "AUTH1234" (the whole body)
    "33",  # check code
    "7e",
)

AUTH_2019 = hexframe(
    "7e",
    "0102",  # terminal auth
    "402c",  # 2019, length 44
    "01",  # protocol version 1
    "00000000013912345678",  # BCD[10] phone
    "0004",  # serial 4
    "08",  # auth code length 8
    "4155544831323334",  # auth code "AUTH1234"
    "383631323334353637383930313233",  # IMEI BYTE[15] "861234567890123"
    "56312e302e32 0000000000000000000000000000",  # software version BYTE[20] "V1.0.2"
    "04",  # check code
    "7e",
)

REGISTER_RESPONSE_2013 = hexframe(
    "7e",
    "8100",  # register response
    "000b",  # length 11
    "013912345678",
    "0001",  # platform serial 1
    "0002",  # reply serial: the register's serial 2
    "00",  # result 0: success
    "4155544831323334",  # auth code "AUTH1234"
    "b5",  # check code
    "7e",
)

TERMINAL_RESPONSE_2013 = hexframe(
    "7e",
    "0001",  # terminal general response
    "0005",  # length 5
    "013912345678",
    "0009",  # serial 9
    "0001",  # reply serial 1
    "8100",  # reply id: register response
    "00",  # result 0: success
    "bd",  # check code
    "7e",
)

PLATFORM_RESPONSE_2013 = hexframe(
    "7e",
    "8001",  # platform general response
    "0005",  # length 5
    "013912345678",
    "0002",  # platform serial 2
    "0007",  # reply serial 7
    "0200",  # reply id: location report
    "00",  # result 0: success
    "b3",  # check code
    "7e",
)


def inner(frame: bytes) -> bytes:
    """The bytes between the flags."""
    assert frame[0] == 0x7E and frame[-1] == 0x7E
    return frame[1:-1]
