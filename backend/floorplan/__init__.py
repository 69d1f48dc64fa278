"""Floor-plan financing 库存融资: dealers' lines, financed units, stock audits, limit increases."""
