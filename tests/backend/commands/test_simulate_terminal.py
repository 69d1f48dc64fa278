"""`autolease simulate-terminal` refuses what it cannot drive with a one-line reason: a road
without its credential, a route that is no route, a platform that is not there."""

from __future__ import annotations

import socket

from backend.cli import build_parser, main


def test_the_command_is_registered_with_the_scenarios():
    args = build_parser().parse_args(
        ["simulate-terminal", "--protocol", "jt808", "--phone", "013912345678",
         "--scenario", "single-bad-fix", "--time-scale", "100"]
    )  # fmt: skip
    assert (args.protocol, args.scenario, args.time_scale, args.interval_s) == (
        "jt808", "single-bad-fix", 100.0, 30.0,
    )  # fmt: skip
    assert args.route.name == "beijing-tianjin.geojson" and args.route.exists()


def test_missing_credentials_bad_routes_and_no_platform_are_refused(tmp_path, capsys):
    assert main(["simulate-terminal", "--protocol", "http", "--scenario", "tamper"]) == 1
    assert "--token is needed for http" in capsys.readouterr().err
    route = tmp_path / "route.json"
    route.write_text('{"type": "Point", "coordinates": [116.4, 39.9]}')
    argv = ["simulate-terminal", "--protocol", "jt808", "--phone", "013912345678",
            "--scenario", "tamper", "--route", str(route)]  # fmt: skip
    assert main(argv) == 1
    assert "no LineString" in capsys.readouterr().err
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main([*argv[:-2], "--port", str(port)]) == 1
    assert "simulate-terminal:" in capsys.readouterr().err
