"""The benchmark of qa-audit (`make bench`): speed, scale and memory against their targets.

Every target is a ratio measured in one run, or an absolute figure with a wide margin: the
machines are shared and noisy. Nothing here is a test; tests/test_bench_smoke.py only checks
that the data builder and the report's floor still work."""
