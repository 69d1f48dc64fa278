"""`python -m app_mobile`: the app in a desktop window (AUTOLEASE_API_URL picks the backend)."""

from app_mobile.main import run_desktop

run_desktop()
