"""The ledger 总账: posting balanced entries (`common.ledger`) exactly once, and reading them back
as a trial balance, a contract's balances and the verification query."""
