"""What the screens show, as plain classes testable without Flet."""
