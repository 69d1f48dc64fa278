"""Risk approval 风控审批: facts from providers and our records, decisions on submit, the manual
review queue, rule-set versions (draft, simulate, publish, roll back) and adaptive region flags."""
