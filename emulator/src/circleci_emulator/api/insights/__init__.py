"""Insights: every /insights endpoint of the spec, computed from one run list.

One module per report family, each with its own ``routes`` (gathered here):
``summaries`` (project page summary, org summary, branches), ``workflows``
(workflows, runs of one workflow, its summary), ``jobs`` (jobs of a workflow,
job time series), ``testreports`` (flaky tests, test metrics). They share
``common`` (the run list, the parameters, the reporting windows) and
``metrics`` (the statistics).

The run list of a project is its seeded history (``history.seeded_runs``: 90
days before the start of the current UTC day, deterministic) followed by the
runs the pipeline engine recorded (``runs.recorded_runs``). Every endpoint
filters and aggregates that same list, so the numbers agree across endpoints.

Conventions (see the README, "Insights"):

- reporting windows end now and start N days before the start of the current
  UTC day (``last-24-hours`` = yesterday and today); default ``last-90-days``;
- ``branch`` defaults to the project's default branch; ``all-branches=true``
  takes every branch; both together answer 400;
- trends = value in the window / value in the window of the same length just
  before it (0.0 when that is 0, and for windows over 30 days);
- success_rate = successful / total runs; percentiles are nearest-rank values;
  metrics of an empty group are 0 (the spec's x-nullable is not OpenAPI 3);
- an unknown workflow name gives empty lists and zero metrics, and 404 for the
  workflow summary; an unknown project or org 404 ``{message}``.
"""

from __future__ import annotations

from ..routing import Routes
from . import jobs, summaries, testreports, workflows

FAMILIES = (summaries, workflows, jobs, testreports)

routes = Routes()
for _family in FAMILIES:
    routes.include(_family.routes)
