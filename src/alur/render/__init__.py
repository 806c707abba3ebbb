"""Rendering: the official SOP document drawn from one computed layout."""

from .geometry import Layout, PageSetup
from .layout import layout

__all__ = ["Layout", "PageSetup", "layout"]
