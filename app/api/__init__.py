"""REST API under /api/v1/<resource>/ with FAB's JWT login and OpenAPI."""

from __future__ import annotations


def register_apis(appbuilder) -> None:
    from app.api.resources import APIS

    for api in APIS:
        appbuilder.add_api(api)
