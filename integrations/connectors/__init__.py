"""Connectors, one package per provider. `load()` imports every `<provider>/connector.py`, which registers itself.

A connector may keep its own tables in `<provider>/models.py`: `load_models()` (called by integrations.models)
imports them so Django registers them with the integrations app and its migrations.
"""

import importlib
import importlib.util
import pkgutil


def _providers() -> list[str]:
    return [module.name for module in pkgutil.iter_modules(__path__) if module.ispkg]


def load_models() -> None:
    for name in _providers():
        if importlib.util.find_spec(f"{__name__}.{name}.models") is not None:
            importlib.import_module(f"{__name__}.{name}.models")


def load() -> None:
    from .base import connector_classes

    for name in _providers():
        importlib.import_module(f"{__name__}.{name}.connector")
    for cls in connector_classes():
        cls.ready()
