"""What the aws generator refuses to render, rather than render wrongly."""

from __future__ import annotations


class UnsupportedBlueprintError(ValueError):
    """The blueprint asks for something this generator cannot render faithfully on AWS."""
