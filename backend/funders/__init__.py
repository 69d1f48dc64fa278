"""The funder side 资金方: co-lending agreements, repayments allocated to the funder's share,
remittances, and the funder's portfolio."""
