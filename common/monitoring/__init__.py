"""Post-lease monitoring 租后资产监控, pure: a position fix, its plausibility, route corridors and
regions, the hysteresis that turns fixes into alerts, signal-loss judgement and tamper."""
