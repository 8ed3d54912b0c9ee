"""blueprint: one declarative file, rendered to cloud configuration and checked on one graph."""

__version__ = "0.1.0"
