"""Background jobs: `submit(kind, args, actor=…, subject=…) -> job id`, run off the request by the runner
(runner.py: a thread pool in this process, state and progress in the `jobs` table); the kinds of job register
themselves in their modules, imported here."""
from . import certificates  # noqa: F401  (registers the "event_certificates" kind)
from . import reports  # noqa: F401  (registers the "season_report" kind)
from . import roster  # noqa: F401  (registers the "roster_import" kind)
from . import exports  # noqa: F401  (registers the "export" kind)
from .runner import KINDS, JobResult, Runner, Step, ThreadRunner, run_job, runner_for, submit

__all__ = ["KINDS", "JobResult", "Runner", "Step", "ThreadRunner", "run_job", "runner_for", "submit"]
