"""Post-lease monitoring 租后资产监控: terminals, the ingest pipeline every road feeds, the rules
that turn positions into alerts, and the alerts' lifecycle."""
