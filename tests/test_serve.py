"""The SPARQL endpoint: the real Oxigraph server on loopback, queried with SPARQLWrapper."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.errors import KgError
from kg.serve import Endpoint
from kg.store import write_store

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def select(url: str, query: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(url)
    client.setReturnFormat(JSON)
    client.setQuery(query)
    data = client.queryAndConvert()
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def endpoint(bundled_exports: Path):
    with Endpoint(graph=bundled_exports, host=HOST, port=free_port()) as ep:
        yield ep
    assert ep.process is None


def test_endpoint_answers_select_with_real_rows(endpoint: Endpoint) -> None:
    assert endpoint.url.startswith(f"http://{HOST}:") and endpoint.url.endswith("/query")
    rows = select(
        endpoint.url,
        """PREFIX mls: <http://www.w3.org/ns/mls#>
        PREFIX schema: <http://schema.org/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
          ?d a mls:Dataset ; skos:prefLabel ?name . ?paper schema:mentions ?d .
        } GROUP BY ?d ?name ORDER BY DESC(?papers) ?name LIMIT 3""",
    )
    assert rows[0] == {"name": "ImageNet", "papers": "21"}
    assert len(rows) == 3
    count = select(
        endpoint.url, "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://schema.org/ScholarlyArticle> }"
    )
    assert count == [{"n": "362"}]


def test_endpoint_runs_the_shipped_queries(endpoint: Endpoint) -> None:
    text = (Path(__file__).resolve().parent.parent / "queries" / "leaderboard.rq").read_text()
    rows = select(endpoint.url, text)
    assert ("CIFAR-10", "FID") in {(r["dataset_name"], r["metric_name"]) for r in rows}


def test_endpoint_refuses_updates(endpoint: Endpoint) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    client = SPARQLWrapper(endpoint.url, updateEndpoint=endpoint.url.replace("/query", "/update"))
    client.setMethod(POST)
    client.setQuery(update)
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403
    assert select(endpoint.url, "SELECT * WHERE { <urn:a> ?p ?o }") == []


def test_store_endpoint_and_port_in_use(bundled_exports: Path, tmp_path: Path) -> None:
    store = write_store(bundled_exports, tmp_path / "store")
    port = free_port()
    with Endpoint(store=store, host=HOST, port=port) as first:
        client = SPARQLWrapper(first.url)
        client.setReturnFormat(JSON)
        client.setQuery("ASK { ?s a <http://www.w3.org/ns/mls#Model> }")
        assert client.queryAndConvert()["boolean"] is True
        with pytest.raises(KgError, match="did not start"), Endpoint(store=store, port=port):
            pass
    with pytest.raises(KgError, match="not both"):
        Endpoint(graph=bundled_exports, store=store)


def test_cli_serve_prints_url_and_stops_on_sigterm(bundled_exports: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--graph", str(bundled_exports)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()
        url = f"http://{HOST}:{port}/query"
        assert line.startswith("SPARQL endpoint (read-only): " + url)
        assert select(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/mls#Task> }")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        with pytest.raises(OSError):
            socket.create_connection((HOST, port), timeout=1).close()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
