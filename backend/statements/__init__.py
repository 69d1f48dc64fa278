"""Dealer statements 对账单: the dealer's account from the ledger, its exports and export jobs."""
