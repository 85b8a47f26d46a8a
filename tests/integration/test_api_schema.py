"""schemathesis drives the API from its own OpenAPI document, in process through the
WSGI app: no server error, no response that breaks the schema, only documented
status codes and content types, and parameters the schema rules out are refused.

(schemathesis' pytest plugin loader does not run under this pytest, so each
operation's strategy is driven with Hypothesis directly, as schemathesis documents.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.models import db
from tests.support import discover

# Input the schema allows may still be refused only where the parameter's description
# says so (a place we cannot find, distance without a place, another clinic's service,
# a day nobody can book). Anything else the schema allows must be answered.
DOCUMENTED_REFUSALS = {
    "/api/v1/clinics": {"near", "sort"},
    "/api/v1/clinics/{slug}/availability": {"service", "therapist", "date", "from", "to"},
}


@schemathesis.check
def schema_valid_input_is_answered(ctx, response, case) -> None:
    """A 400 to schema-valid input names a parameter whose description documents it."""
    if response.status_code != 400:
        return
    parameter = response.json()["error"].get("parameter")
    allowed = DOCUMENTED_REFUSALS.get(case.operation.path, set())
    assert parameter in allowed, (
        f"{case.operation.path} refused schema-valid {parameter}: {case.query} -> "
        f"{response.json()['error']['message']}")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATIONS = ["/api/v1/clinics", "/api/v1/clinics/{slug}", "/api/v1/clinics/{slug}/availability",
              "/api/v1/modalities", "/api/v1/conditions"]


@pytest.fixture
def api_schema(app):
    v = discover.vocabulary()
    discover.clinic("Pier Trigger Point Studio", "33701",
                    services=[(v["nmt"], 60, 120), (v["mfr"], 90, 135)])
    discover.clinic("Mile High Neuromuscular", "80210", services=[(v["nmt"], 60, 100)])
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_is_covered(api_schema):
    assert sorted(api_schema.raw_schema["paths"]) == sorted(OPERATIONS)


def test_each_refusal_the_schema_cannot_express_is_documented(api_schema):
    for path, names in DOCUMENTED_REFUSALS.items():
        parameters = api_schema.raw_schema["paths"][path]["get"]["parameters"]
        for p in parameters:
            if p["name"] in names:
                assert "refused" in p["description"], (path, p)


# Operations without parameters have no invalid input to generate.
CASES = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    (path, GenerationMode.NEGATIVE) for path in OPERATIONS[:3]]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_the_api_keeps_to_its_openapi_document(api_schema, path, mode):
    operation = api_schema[path]["GET"]
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE
                       else [schema_valid_input_is_answered])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        # schemathesis' WSGI client asks for gzip but does not decode it
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    run()


@pytest.mark.parametrize(("query", "parameter"), [
    ("radius_mi=5&radius_mi=10&near=33701", "radius_mi"),  # given twice
    ("q=" + "x" * 101, "q"),  # over maxLength
    ("per_page=51", "per_page"),  # over maximum
    ("page=1001", "page"),
])
def test_input_the_schema_rules_out_is_a_documented_400(api_schema, client, query, parameter):
    response = client.get(f"/api/v1/clinics?{query}")
    assert response.status_code == 400
    api_schema["/api/v1/clinics"]["GET"].validate_response(response)  # the Error shape
    assert response.json["error"]["parameter"] == parameter
