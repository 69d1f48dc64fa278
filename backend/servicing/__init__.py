"""Servicing 租后: the sub-ledger of what each instalment owes and what paid it."""
