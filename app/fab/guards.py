"""What a request must look like before Flask-AppBuilder reads it.

FAB turns page arguments into numbers with ``int()`` (a letter is a server error), hands query and body values to
SQL as they come (PostgreSQL's driver refuses NUL bytes and lone surrogates, both databases refuse numbers beyond 64
bits), and loads a JSON body of any shape into its schemas (a list or an object where an id belongs is a server
error). These checks run before any view, so such a request never reaches a query:

* an id in the path that is not a whole number of the database's range names no record: 404;
* text anywhere in the request (query string, form, JSON keys and values, the API's ``q`` argument) with a NUL byte
  or a lone surrogate: 400;
* a number beyond the 64-bit range anywhere in a JSON body or in ``q``, JSON nested deeper than any resource needs,
  a JSON body that does not parse or is not an object: 400;
* a page or page size of a list (``page_<view>``, ``psize_<view>``, the API's ``page``/``page_size``) that is not a
  small whole number: 400.

Under ``/api/`` the refusal is the API's one error shape ``{message, rule, field}``; elsewhere a plain 400 or 404.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import prison
from flask import Flask, abort, current_app, jsonify, request

from app.fab.errors import api_refusal
from app.platform.labels import RULE_MESSAGES

MAX_ID = 2**63 - 1  # the databases' BIGINT; an INTEGER key is smaller still, so larger ids exist nowhere
MAX_PAGE = 10**6
MAX_PAGE_SIZE = 100
MAX_DEPTH = 20  # no resource nests deeper than a list of ids inside an object
_PAGE_ARG = re.compile(r"page_|psize_")  # as FAB finds them (re.findall anywhere in the name)
_FILTER_ARG = re.compile(r"_flt_(\d)_(.*)")  # as FAB reads a list's search: the filter's number, the column
_BAD_TEXT = re.compile(r"[\x00\ud800-\udfff]")


class Refused(Exception):
    """A request refused before any view ran: the rule's code and the field it concerns."""

    def __init__(self, rule: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(rule)
        self.rule, self.field, self.status = rule, field, status


def is_api() -> bool:
    return request.path.startswith("/api/")


def refusal_response(refused: Refused):
    if is_api():
        body = {"message": str(RULE_MESSAGES[refused.rule]), "rule": refused.rule, "field": refused.field}
        return jsonify(body), refused.status
    abort(refused.status)


def valid_id(value) -> bool:
    """A record id as the databases store it: a positive whole number below 2**63 (a bool is no id)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit() or len(value) > 19:
            return False
        value = int(value)
    return isinstance(value, int) and 0 < value <= MAX_ID


def check_value(value, field: str | None = None, depth: int = 0) -> None:
    """Refuse text no database stores, numbers beyond 64 bits and nesting deeper than any resource needs."""
    if depth > MAX_DEPTH:
        raise Refused("too_deep", field)
    if isinstance(value, str):
        if _BAD_TEXT.search(value):
            raise Refused("invalid_text", field)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not -MAX_ID - 1 <= value <= MAX_ID:
            raise Refused("out_of_range", field)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Refused("out_of_range", field)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, field or str(key), depth + 1)
            check_value(item, field or str(key), depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            check_value(item, field, depth + 1)


def _check_path() -> None:
    for name, value in (request.view_args or {}).items():
        if name == "pk" and not valid_id(value):
            raise Refused("not_found", name, 404)
        check_value(value, name)


def _check_args_and_form() -> None:
    for source in (request.args, request.form):
        for key, values in source.lists():
            check_value(key, key)
            for value in values:
                check_value(value, key)
    for key, value in request.args.items(multi=True):
        if _PAGE_ARG.search(key):
            limit = MAX_PAGE_SIZE if key.startswith("psize_") else MAX_PAGE
            if not (value.isascii() and value.isdigit() and int(value) <= limit):
                raise Refused("invalid_page", key)
            if key.startswith("psize_") and int(value) < 1:
                raise Refused("invalid_page", key)


def _check_list_filters() -> None:
    """A list's search names a filter by its number among the column's filters: one it does not have is refused
    (FAB would fail on it); a number beyond 64 bits searches nothing any database holds."""
    view = _views_by_endpoint().get((request.endpoint or "").split(".")[0])
    filters = getattr(getattr(view, "_filters", None), "_all_filters", None)
    if filters is None:
        return
    for key in request.args:
        found = _FILTER_ARG.findall(key)
        if found:
            index, column = int(found[0][0]), found[0][1]
            if column in filters and index >= len(filters[column]):
                raise Refused("invalid", key)
            for value in request.args.getlist(key):
                digits = value.strip().lstrip("+-")
                if digits.isascii() and digits.isdigit() and int(digits) > MAX_ID:
                    raise Refused("out_of_range", key)


def _views_by_endpoint() -> dict:
    views = current_app.extensions.get("console.views_by_endpoint")
    if views is None:
        views = current_app.extensions["console.views_by_endpoint"] = {
            view.endpoint: view for view in current_app.appbuilder.baseviews
        }
    return views


def parse_rison(value: str):
    """The API's ``q`` argument as FAB reads it: rison, or JSON when rison fails; ``None`` if neither parses."""
    try:
        return prison.loads(value)
    except Exception:  # prison raises more than its ParserException on broken input
        try:
            return json.loads(urllib.parse.parse_qs(f"q={value}").get("q")[0])
        except Exception:
            return None


def _check_api_query() -> None:
    raw = request.args.get("q")
    if not raw:
        return
    parsed = parse_rison(raw)
    if parsed is None:
        raise Refused("invalid_json", "q")
    check_value(parsed, "q")
    if isinstance(parsed, dict):
        page, size = parsed.get("page", 0), parsed.get("page_size", 0)
        for name, number in (("page", page), ("page_size", size)):
            if isinstance(number, bool) or not isinstance(number, int) or not -1 <= number <= MAX_PAGE * 100:
                raise Refused("invalid_page", name)


def _check_json_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.content_length and not request.data:
        return
    if not request.is_json:
        return  # FAB answers a body of another type itself
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except RecursionError:
        raise Refused("too_deep") from None
    except ValueError:
        raise Refused("invalid_json") from None
    if body is None and request.method == "DELETE":
        return
    if not isinstance(body, dict):
        raise Refused("invalid_body")
    check_value(body)


def check_request() -> None:
    """Raise ``Refused`` for a request no view should see (see the module's docstring)."""
    _check_path()
    _check_args_and_form()
    _check_list_filters()
    if is_api():
        _check_api_query()
        _check_json_body()


def install(app: Flask) -> None:
    @app.before_request
    def refuse_hostile_input():
        try:
            check_request()
        except Refused as refused:
            return refusal_response(refused)
        return None

    @app.after_request
    def api_refusals_in_one_shape(response):
        """Under ``/api/`` every refusal is ``{message, rule, field}``, also the ones no API class made: an address
        that matches no route (404), a method a route does not take (405), a body too large (413)."""
        if is_api() and response.status_code >= 400 and response.mimetype != "application/json":
            shaped = api_refusal(response.status_code)
            for header in ("Allow", "Retry-After"):
                if header in response.headers:
                    shaped.headers[header] = response.headers[header]
            return shaped
        return response
