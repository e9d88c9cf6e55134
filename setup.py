"""scrapyd-deploy builds the project's egg with `python setup.py bdist_egg` (writing a setup.py of
its own where there is none); everything is configured in pyproject.toml."""

from setuptools import setup

setup()
