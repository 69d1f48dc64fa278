"""The dealer's account 经销商账户: commissions and the dealer's summary."""
