"""Persistent Oxigraph stores: load a built graph once, query it many times.

A store is a folder written by pyoxigraph (RocksDB files). :func:`write_store` loads a
Turtle file into a new folder and swaps it into place whole; :func:`open_store` opens
one read-only, so ``kg query --store`` and ``kg serve --store`` may share it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, KgError
from kg.exports import swap_folder
from kg.rdf import graph_file


def is_store(folder: str | Path) -> bool:
    """Whether ``folder`` looks like an Oxigraph (RocksDB) store folder."""
    folder = Path(folder)
    return (folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*"))


def load_turtle(store: ox.Store, path: Path) -> None:
    """Bulk-load a Turtle file into ``store``, turning parse errors into one-line errors.

    Raises
    ------
    kg.errors.InputError
        If the file is not valid Turtle.
    """
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(str(path), f"not valid Turtle: {first}") from None


def write_store(graph_path: str | Path, folder: str | Path) -> Path:
    """Load a built graph's Turtle into a new Oxigraph store at ``folder``.

    The store is built in a temporary folder beside ``folder`` and renamed into place, so
    a store being replaced stays whole until the new one is complete.

    Parameters
    ----------
    graph_path : str or Path
        A ``.ttl`` file or a build folder holding ``graph.ttl``.
    folder : str or Path
        Where the store goes. An existing store there is replaced; any other existing,
        non-empty folder is refused.

    Returns
    -------
    Path
        ``folder``.

    Raises
    ------
    kg.errors.KgError
        If ``folder`` is a non-empty folder that is not a store, or the Turtle is bad.
    """
    source = graph_file(Path(graph_path))
    target = Path(folder)
    if target.exists() and not (target.is_dir() and (is_store(target) or _empty(target))):
        raise KgError(f"{target}: exists and is not an Oxigraph store; not replacing it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        store = ox.Store(str(staging))
        load_turtle(store, source)
        store.flush()
        store.optimize()
        del store  # closes the database
        swap_folder(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _empty(folder: Path) -> bool:
    return not any(folder.iterdir())


def open_store(folder: str | Path) -> ox.Store:
    """Open a store written by :func:`write_store`, read-only.

    Raises
    ------
    kg.errors.InputError
        If ``folder`` is not an Oxigraph store or cannot be opened.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "no such store folder (make one with kg build --store)")
    if not is_store(folder):
        raise InputError(str(folder), "not an Oxigraph store (make one with kg build --store)")
    try:
        return ox.Store.read_only(str(folder))
    except OSError as exc:
        raise InputError(str(folder), f"cannot open store: {' '.join(str(exc).split())}") from None


def memory_store(graph_path: str | Path) -> ox.Store:
    """Load a Turtle file (or a build folder holding ``graph.ttl``) into a memory store.

    Raises
    ------
    kg.errors.InputError
        If the file is missing or is not valid Turtle.
    """
    file = graph_file(Path(graph_path))
    store = ox.Store()
    try:
        store.load(path=str(file), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(str(file), f"not valid Turtle: {first}") from None
    return store
