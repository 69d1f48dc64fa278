"""Revenue sharing 电费分账 on charging-pile leases: monthly revenue reports and variable rent."""
