"""Connectors, one package per provider. `load()` imports every `<provider>/connector.py`, which registers itself."""

import importlib
import pkgutil


def load() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg:
            importlib.import_module(f"{__name__}.{module.name}.connector")
