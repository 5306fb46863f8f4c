"""The guarantee CircleCI's MCP server gives, kept without Node: the same sequence of requests its
API client and tools send (mcp-server-circleci 0.20.0, ``dist/clients/circleci/*.js`` and
``dist/tools/*/handler.js``), each answer parsed the way it parses them (its zod schemas,
``dist/clients/schemas.js``: required fields and types, snake_case; unknown keys are ignored, as
zod does). docs/dev/CLIENT-EVIDENCE.md, "Running CircleCI's MCP server against the emulator",
says how the client itself was run.

The sequence: read the flaky tests and follow every flaky test's job to its test results (a test
missing there, or a 404, is what the client reports as "not found"), run a pipeline (the
project's own configuration, then inline configuration), read the latest pipeline's status,
test results and artifacts, and rerun a workflow (a finished one from the start, a failed one
from failed). The emulator is strict: a request the spec (as mended) refuses would answer 400.
"""

from __future__ import annotations

import pytest

from pipeline_helpers import API, STANDALONE, fast, wait_for

WEB = "gh/acme/web"

# --- the client's schemas (zod), as data ----------------------------------------------------------
STRING, NUMBER, BOOLEAN = "string", "number", "boolean"


def nullable(schema):
    return ("nullable", schema)


def optional(schema):
    return ("optional", schema)


def array(schema):
    return ("array", schema)


def union(*schemas):
    return ("union",) + schemas


PIPELINE = {"id": STRING, "project_slug": STRING, "number": NUMBER}
PIPELINES = {"items": array(PIPELINE), "next_page_token": nullable(STRING)}
WORKFLOW = {"id": STRING, "name": STRING, "status": nullable(STRING), "created_at": STRING,
            "stopped_at": optional(nullable(STRING)), "pipeline_number": NUMBER, "project_slug": STRING,
            "pipeline_id": STRING}
WORKFLOWS = {"items": array(WORKFLOW), "next_page_token": nullable(STRING)}
JOBS = {"items": array({"job_number": optional(NUMBER), "id": STRING}), "next_page_token": nullable(STRING)}
FLAKY = {"flaky_tests": array({"job_number": NUMBER, "test_name": STRING}), "total_flaky_tests": NUMBER}
TEST = {"message": STRING, "run_time": union(STRING, NUMBER), "file": optional(STRING), "result": STRING,
        "name": STRING, "classname": STRING}
TESTS = {"items": array(TEST), "next_page_token": optional(nullable(STRING))}
ARTIFACTS = {"items": array({"path": STRING, "node_index": NUMBER, "url": STRING}),
             "next_page_token": nullable(STRING)}
PROJECT = {"id": STRING, "organization_id": STRING}
DEFINITIONS = {"items": array({"id": STRING, "name": STRING})}
RUN = {"number": NUMBER}
RERUN = {"workflow_id": STRING}


class ParseError(AssertionError):
    pass


def parse(schema, value, where="$"):
    """What zod's parse does with these schemas: check, and keep only the declared keys."""
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise ParseError(f"{where}: expected an object, got {value!r}")
        out = {}
        for key, sub in schema.items():
            if key not in value:
                if isinstance(sub, tuple) and sub[0] == "optional":
                    continue
                raise ParseError(f"{where}.{key}: required")
            out[key] = parse(sub, value[key], f"{where}.{key}")
        return out
    kind = schema[0] if isinstance(schema, tuple) else schema
    if kind == "optional":
        return parse(schema[1], value, where)
    if kind == "nullable":
        return None if value is None else parse(schema[1], value, where)
    if kind == "union":
        for option in schema[1:]:
            try:
                return parse(option, value, where)
            except ParseError:
                pass
        raise ParseError(f"{where}: {value!r} matches none of {schema[1:]}")
    if kind == "array":
        if not isinstance(value, list):
            raise ParseError(f"{where}: expected an array, got {value!r}")
        return [parse(schema[1], item, f"{where}[{i}]") for i, item in enumerate(value)]
    ok = {STRING: isinstance(value, str), BOOLEAN: isinstance(value, bool),
          NUMBER: isinstance(value, (int, float)) and not isinstance(value, bool)}[kind]
    if not ok:
        raise ParseError(f"{where}: expected a {kind}, got {value!r}")
    return value


def test_the_parser_refuses_what_the_client_refuses():
    with pytest.raises(ParseError, match=r"message: expected a string, got None"):
        parse(TEST, {"message": None, "run_time": 0.1, "result": "success", "name": "a", "classname": "b"})
    with pytest.raises(ParseError, match=r"\$.flaky_tests: required"):
        parse(FLAKY, {"flaky-tests": [], "total-flaky-tests": 0})
    assert parse(WORKFLOW, {"id": "w", "name": "n", "status": None, "created_at": "t", "pipeline_number": 1,
                            "project_slug": "s", "pipeline_id": "p", "extra": 1}) == {
        "id": "w", "name": "n", "status": None, "created_at": "t", "pipeline_number": 1, "project_slug": "s",
        "pipeline_id": "p"}


# --- the client's requests ------------------------------------------------------------------------


class Client:
    """The MCP server's API client, request for request (each GET also sends Content-Type: application/json)."""

    def __init__(self, api):
        self.api = api
        self.api.session.headers["Content-Type"] = "application/json"

    def get(self, path, schema, **params):
        r = self.api.get(path, params=params or None)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return parse(schema, r.json())

    def post(self, path, body, schema):
        r = self.api.post(path, json=body)
        assert r.status_code in (200, 201, 202), (path, r.status_code, r.text)
        return parse(schema, r.json())

    def pages(self, path, schema, **params):
        items, token = [], None
        for _ in range(5):  # maxPages of the client
            page = self.get(path, schema, **dict(params, **({"page-token": token} if token else {})))
            items += page["items"]
            token = page.get("next_page_token")
            if not token:
                return items
        raise AssertionError(f"{path}: more than 5 pages")

    # clients/circleci/*.js
    def flaky_tests(self, slug):
        return self.get(f"/insights/{slug}/flaky-tests", FLAKY)

    def job_tests(self, slug, job_number):
        return self.pages(f"/project/{slug}/{job_number}/tests", TESTS)

    def job_artifacts(self, slug, job_number):
        return self.pages(f"/project/{slug}/{job_number}/artifacts", ARTIFACTS)

    def pipelines(self, slug, branch):
        return self.pages(f"/project/{slug}/pipeline", PIPELINES, branch=branch)

    def pipeline_by_number(self, slug, number):
        return self.get(f"/project/{slug}/pipeline/{number}", PIPELINE)

    def workflows(self, pipeline_id):
        return self.pages(f"/pipeline/{pipeline_id}/workflow", WORKFLOWS)

    def workflow(self, workflow_id):
        return self.get(f"/workflow/{workflow_id}", WORKFLOW)

    def jobs(self, workflow_id):
        return self.pages(f"/workflow/{workflow_id}/job", JOBS)

    def run_pipeline(self, slug, branch, content=""):
        """tools/runPipeline: the project, its definitions, then the run (content "" when none is given)."""
        project = self.get(f"/project/{slug}", PROJECT)
        definitions = self.get(f"/projects/{project['id']}/pipeline-definitions", DEFINITIONS)["items"]
        body = {"definition_id": definitions[0]["id"], "config": {"branch": branch, "content": content},
                "checkout": {"branch": branch}}
        return self.post(f"/project/{slug}/pipeline/run", body, RUN)["number"]

    def rerun(self, workflow_id, from_failed=None):
        """tools/rerunWorkflow: read the workflow; rerun from failed when it failed (unless told)."""
        workflow = self.workflow(workflow_id)
        failed = (workflow["status"] or "").lower() == "failed"
        body = {"from_failed": failed if from_failed is None else from_failed}
        return self.post(f"/workflow/{workflow_id}/rerun", body, RERUN)["workflow_id"]

    # lib/*: what the tools compose
    def latest_pipeline_tests(self, slug, branch):
        """lib/pipeline-job-tests/getJobTests: every job of the latest pipeline's workflows; a job
        without a number is skipped, a 404 counts as no tests."""
        pipeline = self.pipelines(slug, branch)[0]
        tests = []
        for workflow in self.workflows(pipeline["id"]):
            for job in self.jobs(workflow["id"]):
                if job.get("job_number"):
                    tests += self.job_tests(slug, job["job_number"])
        return pipeline, tests


@pytest.fixture
def client(api):
    fast(api)
    return Client(api)


def finished(client, slug, number):
    pipeline = client.pipeline_by_number(slug, number)
    return wait_for(lambda: client.workflows(pipeline["id"]),
                    lambda wfs: wfs and all(w["status"] in ("success", "failed", "canceled") for w in wfs))


@pytest.mark.parametrize("slug", [API, WEB, STANDALONE])
def test_every_flaky_test_leads_to_its_failure_in_its_job_tests(client, slug):
    """lib/flaky-tests/getFlakyTests: for each flaky test, the tests of its job_number, the test of that
    name in them (else the client says "not found" and shows the job's failures instead)."""
    flaky = client.flaky_tests(slug)
    assert flaky["total_flaky_tests"] == len(flaky["flaky_tests"]) > 0
    for flake in flaky["flaky_tests"]:
        tests = client.job_tests(slug, flake["job_number"])
        matching = [t for t in tests if t["name"] == flake["test_name"]]
        assert matching and matching[0]["result"] == "failure", (flake, tests)


@pytest.mark.parametrize("slug", [API, STANDALONE])
def test_run_read_and_rerun_as_the_mcp_server_does(client, api, slug):
    # runPipeline (the project's configuration: content "")
    number = client.run_pipeline(slug, "main")
    workflows = finished(client, slug, number)
    assert sorted(w["name"] for w in workflows) == ["build", "lint"]
    # getLatestPipelineStatus: the latest pipeline of the branch and its workflows
    latest = client.pipelines(slug, "main")[0]
    assert latest["number"] == number
    assert {w["status"] for w in client.workflows(latest["id"])} == {"success"}
    # getJobTestResults: the tests of every job of that pipeline
    pipeline, tests = client.latest_pipeline_tests(slug, "main")
    assert pipeline["number"] == number and len(tests) == 5
    assert all(t["message"] == "" for t in tests if t["result"] == "success")
    # listArtifacts: the artifacts of every job of that pipeline
    numbers = [j["job_number"] for w in workflows for j in client.jobs(w["id"]) if j.get("job_number")]
    paths = sorted(a["path"] for n in numbers for a in client.job_artifacts(slug, n))
    assert paths == ["logs/build.log", "logs/lint.log", "logs/test.log", "test-results/junit.xml"]
    # runPipeline with configContent: inline configuration
    content = "version: 2.1\nworkflows:\n  inline:\n    jobs: [unit]\n"
    inline = finished(client, slug, client.run_pipeline(slug, "main", content))
    assert [(w["name"], w["status"]) for w in inline] == [("inline", "success")]
    # rerunWorkflow: a successful workflow (from the start)
    again = client.rerun(inline[0]["id"])
    assert wait_for(lambda: client.workflow(again), lambda w: w["status"] == "success")["name"] == "inline"
    assert all("violation" not in entry for entry in api.log())  # strict: nothing refused, nothing lax


def test_rerun_from_failed_of_a_flaky_tests_workflow(client, api):
    """rerunWorkflow on the workflow of a flaky test (the seeded history's failed run): from failed."""
    raw = api.get(f"/insights/{API}/flaky-tests").json()  # the client's schema drops workflow_id
    workflow_id = raw["flaky_tests"][0]["workflow_id"]
    assert client.workflow(workflow_id)["status"] == "failed"
    new = client.rerun(workflow_id)
    assert api.log()[-1]["body"] == {"from_failed": True}
    done = wait_for(lambda: client.workflow(new), lambda w: w["status"] == "success")
    assert done["pipeline_number"] == raw["flaky_tests"][0]["pipeline_number"]
