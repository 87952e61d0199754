"""The domain layer: plain Python, no Flask. Views, API, jobs and reports ask it."""
