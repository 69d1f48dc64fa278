"""The vehicle maker's view 主机厂视图 of its dealer network's floor plans."""
