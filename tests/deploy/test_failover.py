"""Two replicas behind nginx (deploy/crisisgraph.nginx.conf): one is killed under load and
restarted; no GET fails, and the restarted replica takes traffic again (tools.failover)."""

from __future__ import annotations

import pytest

from tools.failover import failover, nginx_binary


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)")
def test_killing_a_replica_under_load_fails_no_get() -> None:
    report = failover(rate=40.0, before=2.0, after=1.0)
    assert report["failed"] == 0, report
    assert int(str(report["sent"])) > 100, report
    assert int(str(report["during_kill"])) > 0, report  # traffic ran while it was down
    assert float(str(report["restarted_replica_requests"])) > 0, report
