"""Risk officer 风控经理: the review queue, the rule-set editor, the change history, region flags,
the products, the extension reviews and the extension rules.

Routes: /risk/reviews, /risk/reviews/<id>, /risk/rulesets, /risk/rulesets/<id>, /risk/history,
/risk/flags, /risk/products, /risk/extensions, /risk/extensions/<id>, /risk/extension-rules.
Risk officers and admins reach them; the backend guards every call as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.risk.home import home_view

if TYPE_CHECKING:
    from app_mobile.shell import App

__all__ = ["home_view", "screens_for"]


async def screens_for(app: App, route: str) -> list[ft.View]:
    """The screens above the home for a /risk/... route (a detail sits on its list)."""
    from app_mobile.views.risk import history, products, reviews, rulesets

    parts = route.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "risk":
        return []
    section, rest = parts[1], parts[2:]
    if section == "reviews":
        queue = await reviews.queue_view(app)
        return [queue, await reviews.detail_view(app, rest[0])] if rest else [queue]
    if section == "rulesets":
        listing = await rulesets.versions_view(app)
        if rest:
            from app_mobile.views.risk.editor import editor_view

            return [listing, await editor_view(app, rest[0])]
        return [listing]
    if section == "history":
        return [await history.history_view(app)]
    if section == "flags":
        return [await history.flags_view(app)]
    if section == "products":
        return [await products.products_view(app)]
    if section == "extensions":  # 展期审核
        from app_mobile.views.risk import extensions

        queue = await extensions.queue_view(app)
        return [queue, await extensions.detail_view(app, rest[0])] if rest else [queue]
    if section == "extension-rules":  # 展期规则
        from app_mobile.views.risk.extension_rules import rules_view

        return [await rules_view(app)]
    return []
