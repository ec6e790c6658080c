"""Settings: scopes and their order, loading (the only file I/O), lookups with provenance."""

from claude_models.settings.layers import Layer, Setting, Settings
from claude_models.settings.scopes import HIGH_TO_LOW, LOW_TO_HIGH, Scope

__all__ = ["HIGH_TO_LOW", "LOW_TO_HIGH", "Layer", "Scope", "Setting", "Settings"]
