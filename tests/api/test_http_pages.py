"""The HTML pages over HTTP (in-process): what they show, the headers that keep a browser
from misusing them, and the rule that only http(s) IRIs become links."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from chipkg.api.examples import EXAMPLES
from chipkg.api.html import Site, href
from chipkg.graph import KnowledgeGraph
from chipkg.graph.articles import sentence_anchor

CKR = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
HTML = {"Accept": "text/html"}
STATIC = Path(__file__).resolve().parents[2] / "api" / "static"
HREFS = re.compile(r'\b(?:href|src|action)="([^"]*)"')


def hrefs(page: str) -> list[str]:
    return [html.unescape(v) for v in HREFS.findall(page)]


# ------------------------------------------------------------------ security headers


@pytest.mark.parametrize("path", ["/", "/search?q=nvidia", "/resource/nvidia", "/resource/h20-article",
                                  "/resource/nvidia-makes-h20-2", "/ontology", "/graphql"])
def test_html_pages_carry_the_policy(make_client, shared_kg: KnowledgeGraph, path: str) -> None:
    with make_client(kg=shared_kg) as client:
        response = client.get(path, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # No inline script (only JSON data blocks) and no inline style for the policy to refuse.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.DOTALL)
    assert all('src="' in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    assert all(body == "" for attrs, body in scripts if 'src="' in attrs)
    assert "<style" not in response.text and " style=" not in response.text
    # Everything the page loads comes from this service.
    loaded = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', response.text)
    assert loaded and not [u for u in loaded if u.startswith(("//", "http:", "https:"))]


@pytest.mark.parametrize("path", ["/resource/nvidia", "/export", "/ontology", "/healthz",
                                  "/static/vendor/cytoscape/cytoscape.min.js"])
def test_every_response_says_nosniff(make_client, shared_kg: KnowledgeGraph, path: str) -> None:
    with make_client(kg=shared_kg) as client:
        response = client.get(path, headers={"Accept": "text/turtle, */*;q=0.1"})
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers or response.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ links


@pytest.mark.parametrize("iri", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                 "vbscript:msgbox", "file:///etc/passwd", "urn:isbn:123", "mailto:a@example.org"])
def test_only_http_iris_become_links(iri: str) -> None:
    assert href(iri, Site("../")) is None


@pytest.mark.parametrize(("iri", "expected"), [
    (CKR + "nvidia", "../resource/nvidia"),
    (CKR + "a/b?c", "../resource/a%2Fb%3Fc"),
    (CKG + "Company", "../ontology#Company"),
    ("https://schema.org/Person", "https://schema.org/Person"),
    ("HTTP://example.org/x", "HTTP://example.org/x"),
])
def test_own_iris_link_relatively_and_http_links_out(iri: str, expected: str) -> None:
    assert href(iri, Site("../")) == expected


def test_javascript_iris_in_loaded_data_never_become_hrefs(make_client) -> None:
    """Data written straight into the store (as a bulk load or another writer of a shared
    store would), naming resources with javascript:, data: and file: IRIs."""
    kg = KnowledgeGraph()
    hostile = ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd"]
    nvidia, competes = ox.NamedNode(CKR + "nvidia"), ox.NamedNode(CKG + "competesWith")
    rdf_type, company = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(CKG + "Company")
    triples = []
    for iri in hostile:
        triples += [ox.Triple(nvidia, competes, ox.NamedNode(iri)), ox.Triple(ox.NamedNode(iri), rdf_type, company),
                    ox.Triple(nvidia, rdf_type, ox.NamedNode(iri))]
    kg.store.apply((), triples)
    kg2 = KnowledgeGraph(kg.store)  # rebuild the derived views over the changed store
    with make_client(kg=kg2) as client:
        pages = [client.get(p, headers=HTML) for p in ("/resource/nvidia", "/search?q=nvidia")]
    for response in pages:
        assert response.status_code == 200
        links = hrefs(response.text)
        assert links and not [u for u in links if u.lower().startswith(("javascript:", "data:", "file:"))]
    page = pages[0].text
    for iri in hostile:
        assert html.escape(iri) in page  # shown as text, in full
    assert "javascript:alert(document.cookie)" in pages[0].text.replace("&quot;", '"')


# ------------------------------------------------------------------ what the pages show


def test_home_counts_classes_and_offers_examples(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/").text
    companies = len(list(shared_kg.store.triples(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                                  ox.NamedNode(CKG + "Company"))))
    assert re.search(rf'>Company</a></td>.*?<td class="count">{companies}</td>', page)
    assert 'name="q"' in page
    for example in EXAMPLES:
        assert html.escape(example.title) in page


@pytest.mark.parametrize(("text", "expected"), [("エヌビディア", "nvidia"),
                                                ("CAC", "cyberspace-administration-of-china"),
                                                ("トランプ", "trump-administration"), ("nvidia", "nvidia")])
def test_search_finds_labels_and_aliases_in_both_languages(make_client, shared_kg: KnowledgeGraph,
                                                            text: str, expected: str) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/search", params={"q": text}).text
    assert f'href="resource/{expected}"' in page


def test_search_lists_a_class(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/search", params={"type": "Regulator"}).text
    assert 'href="resource/cyberspace-administration-of-china"' in page
    with make_client(kg=shared_kg) as client:
        assert client.get("/search", params={"type": "NoSuchClass"}).status_code == 400


def test_entity_page_carries_its_picture_and_links_evidence_to_sentences(make_client,
                                                                         shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/resource/nvidia", headers=HTML).text
        article = client.get("/resource/h20-article", headers=HTML).text
    assert 'id="graph-data"' in page and "static/vendor/cytoscape/cytoscape.min.js" in page
    evidence = [ev for r in shared_kg.relations("nvidia") for ev in r.evidence]
    assert evidence
    for ev in evidence:
        anchor = sentence_anchor(ev.text)
        assert f'../resource/h20-article#{anchor}"' in page
        # ... and the article page has that sentence under that id.
        assert f'<span id="{anchor}" class="sentence has-facts">{html.escape(ev.text)}</span>' in article


def test_statement_iris_dereference(make_client, shared_kg: KnowledgeGraph) -> None:
    statement = shared_kg.relations("nvidia", predicates=["makes"])[0].evidence[0].statement
    slug = statement[len(CKR):]
    with make_client(kg=shared_kg) as client:
        page = client.get(f"/resource/{slug}", headers=HTML)
        turtle = client.get(f"/resource/{slug}", headers={"Accept": "text/turtle"})
        missing = client.get("/resource/no-such-statement", headers=HTML)
    assert page.status_code == 200 and "rdf:Statement" in page.text
    assert 'href="../resource/nvidia"' in page.text and 'href="../resource/h20"' in page.text
    found = set(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    assert ox.Quad(ox.NamedNode(CKR + "nvidia"), ox.NamedNode(CKG + "makes"), ox.NamedNode(CKR + "h20")) in found
    assert any(q.subject == ox.NamedNode(statement) and q.predicate.value == CKG + "evidence" for q in found)
    assert missing.status_code == 404


def test_ontology_page_shows_labels_and_comments(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/ontology", headers=HTML).text
    for term in shared_kg.ontology_terms():
        local = term.iri.rsplit("#", 1)[-1]
        assert f'id="{local}"' in page
        for label in term.labels:
            assert html.escape(label.value) in page
        if term.comment:
            assert html.escape(term.comment) in page


def test_graphiql_page_loads_everything_from_the_package(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/graphql", headers=HTML).text
        loaded = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', page)
        assert loaded and all(u.startswith("static/") for u in loaded)
        for url in loaded:
            assert client.get("/" + url).status_code == 200
    assert "unpkg.com" not in page and "cdn" not in page.lower()


def test_vendored_libraries_keep_their_licences_and_versions() -> None:
    readme = (STATIC / "vendor" / "README.md").read_text()
    for name, version in (("cytoscape", "3.35.0"), ("graphiql", "3.8.3"), ("react", "18.2.0"),
                          ("react-dom", "18.2.0")):
        assert "MIT" in (STATIC / "vendor" / name / "LICENSE").read_text()
        assert f"`{name}`" in readme and version in readme
