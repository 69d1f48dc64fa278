"""Payments 在线还款: paying rent exactly once through a WeChat Pay v3-shaped provider, receipts
and the daily reconciliation (docs/payments.md)."""
