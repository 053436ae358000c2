"""Load benchmarks for the portal under gunicorn (not part of the test suite): see bench/README.md."""
