"""The whole REST API under generated input: schemathesis over ``/api/v1/_openapi``, as a centre's director.

Every operation of the OpenAPI description gets examples that fit its schema and examples that do not (wrong types,
missing and extra fields, out-of-range numbers, odd text), from a fixed seed and 15 per operation, so
the run is the same every time and takes well under a minute. No answer may be a server error; every refusal of a
console resource is the one error shape ``{message, rule, field}`` and carries no database text. The figures of the
run are written to ``test-artifacts/schemathesis.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests import factories

EXAMPLES = 15  # per operation, as many outside the schema as inside
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis.json"
DATABASE_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "sqlite", "psycopg", "IntegrityError", "Traceback", "violates")
CONSOLE_RESOURCES = ("/api/v1/centre", "/api/v1/citizen", "/api/v1/appeal", "/api/v1/programme", "/api/v1/measure")


@pytest.fixture
def case_data(world):
    """A few records of centre A for the generated ids and bodies to meet now and then."""
    citizen = factories.citizen(world.centre_a)
    programme = factories.programme(citizen, specialist=world.users["specialist"], status="draft")
    factories.measure(programme)
    factories.committee(world.centre_a)
    return programme


def test_no_operation_answers_with_a_server_error(app, case_data, client, api_token):
    headers = api_token("director")
    spec = client.get("/api/v1/_openapi", headers=headers).get_json()
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    calls, statuses, failures = Counter(), Counter(), []

    for result in schema.get_all_operations():
        _run(result.ok(), headers, calls, statuses, failures)

    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(
        json.dumps(
            {"operations": len(calls), "calls": sum(calls.values()), "by_status_class": dict(sorted(statuses.items()))},
            indent=1,
        )
    )
    assert len(calls) >= 40, "the OpenAPI description lost its operations"
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:30])
    assert statuses[5] == 0


def _run(operation, headers, calls: Counter, statuses: Counter, failures: list) -> None:
    """The operation's examples, as many fitting its schema as not, from the fixed seed."""
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the fixed seed: the same examples on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def call(case):
        response = case.call(headers=headers)
        calls[operation.label] += 1
        statuses[response.status_code // 100] += 1
        problem = _problem(case, response)
        if problem:
            failures.append(f"{operation.label}: {problem} ({case.path_parameters}, {case.query}, {case.body!r})"[:600])

    call()


def _problem(case, response) -> str | None:
    if response.status_code >= 500:
        return f"server error {response.status_code}: {response.text[:200]}"
    if response.status_code >= 400 and case.path.startswith(CONSOLE_RESOURCES):
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not {"message", "rule", "field"} <= body.keys():
            return f"{response.status_code} not in the error shape: {response.text[:200]}"
        if any(word in str(body["message"]) for word in DATABASE_WORDS):
            return f"database text in the answer: {body['message'][:200]}"
    return None
