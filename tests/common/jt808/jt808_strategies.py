"""Hypothesis strategies for every message, within the wire's widths."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from common.jt808 import (
    Alarm,
    BatchKind,
    ExtendedSignals,
    FuelLevel,
    Heartbeat,
    IoStatus,
    LocationBatch,
    LocationReport,
    Message,
    Mileage,
    PlatformGeneralResponse,
    PlatformResult,
    ProtocolVersion,
    RawItem,
    RecorderSpeed,
    RegisterResponse,
    RegisterResult,
    SatelliteCount,
    SignalStrength,
    Status,
    TerminalAuth,
    TerminalGeneralResponse,
    TerminalRegister,
    TerminalResult,
)

KNOWN_IDS = {0x01, 0x02, 0x03, 0x25, 0x2A, 0x30, 0x31}


def uint(bits: int) -> st.SearchStrategy[int]:
    return st.integers(0, (1 << bits) - 1)


def text(max_bytes: int) -> st.SearchStrategy[str]:
    """Text GBK can hold, without NUL, at most `max_bytes` GBK bytes."""
    chars = st.sampled_from("ABCXYZ0189-_. 京沪粤苏浙川车牌")
    return st.text(chars, max_size=max_bytes).filter(lambda s: len(s.encode("gbk")) <= max_bytes)


times = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
    ).map(lambda t: t.replace(microsecond=0)),
)

items = st.one_of(
    uint(32).map(Mileage),
    uint(16).map(FuelLevel),
    uint(16).map(RecorderSpeed),
    uint(32).map(ExtendedSignals),
    uint(16).map(IoStatus),
    uint(8).map(SignalStrength),
    uint(8).map(SatelliteCount),
    st.builds(
        RawItem,
        uint(8).filter(lambda i: i not in KNOWN_IDS),
        st.binary(max_size=40),
    ),
)

reports = st.builds(
    LocationReport,
    alarm=uint(32).map(Alarm),
    status=uint(32).map(Status),
    latitude_e6=st.integers(0, 90_000_000),
    longitude_e6=st.integers(0, 180_000_000),
    altitude_m=st.integers(-0x8000, 0x7FFF),
    speed_tenths_kmh=uint(16),
    direction=st.integers(0, 359),
    time=times,
    items=st.lists(items, max_size=6).map(tuple),
)


def messages(version: ProtocolVersion) -> st.SearchStrategy[Message]:
    maker, model, terminal = (5, 20, 7) if version is ProtocolVersion.V2013 else (11, 30, 30)
    auth = (
        st.builds(TerminalAuth, text(60))
        if version is ProtocolVersion.V2013
        else st.builds(TerminalAuth, text(60), st.text("0123456789", max_size=15), text(20))
    )
    return st.one_of(
        st.just(Heartbeat()),
        st.builds(TerminalGeneralResponse, uint(16), uint(16), st.sampled_from(TerminalResult)),
        st.builds(PlatformGeneralResponse, uint(16), uint(16), st.sampled_from(PlatformResult)),
        st.builds(
            TerminalRegister,
            uint(16),
            uint(16),
            text(maker),
            text(model),
            text(terminal),
            uint(8),
            text(30),
        ),
        st.one_of(
            st.builds(RegisterResponse, uint(16), st.just(RegisterResult.SUCCESS), text(40)),
            st.builds(
                RegisterResponse,
                uint(16),
                st.sampled_from([r for r in RegisterResult if r is not RegisterResult.SUCCESS]),
            ),
        ),
        auth,
        reports,
        st.builds(
            LocationBatch,
            st.sampled_from(BatchKind),
            st.lists(reports, max_size=4).map(tuple),
        ),
    )
