"""Hypothesis profiles: CI runs the same examples every time (no flaky reds); run
`python -m pytest --hypothesis-profile=explore` to search new ones."""

from hypothesis import settings

settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=2000)
settings.load_profile("default")
