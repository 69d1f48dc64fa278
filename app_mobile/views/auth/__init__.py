"""Sign-in 登录."""

from app_mobile.views.auth.login import login_view

__all__ = ["login_view"]
