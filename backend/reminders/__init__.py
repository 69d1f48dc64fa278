"""Reminders 还款提醒 and service-date reminders: planned by the daily sweep, sent outside quiet
hours by SMS and as in-app notifications; the lessee's notifications and preferences."""
