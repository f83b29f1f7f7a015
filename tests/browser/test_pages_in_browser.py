"""The pages in a real headless Chromium: they render, the neighbourhood picture holds the
expected nodes and clicking one navigates, evidence lands on its highlighted sentence,
GraphiQL runs a query, and nothing is fetched from anywhere but 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from chipkg.graph import KnowledgeGraph

WAIT = 30.0  # seconds; generous on a shared machine, the tests assert behaviour, not speed
CKR = "https://w3id.org/chipkg/resource/"


def wait_until(driver: Any, condition: Any, message: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT).until(condition, message)


def css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def graph_ready(driver: Any) -> bool:
    return bool(driver.execute_script("return !!(window.chipkgGraph && window.chipkgGraph.nodes().length)"))


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph()


def test_home_page_shows_counts_examples_and_searches_in_japanese(browser: Any, site: str,
                                                                   screenshots: Path) -> None:
    browser.get(site + "/")
    assert browser.title.startswith("Home — chipkg")
    rows = {r.find_element("css selector", "td a").text: r.find_element("css selector", "td.count").text
            for r in css(browser, "table.counts tbody tr")}
    assert int(rows["Company"]) > 0 and int(rows["Regulator"]) > 0
    assert len(css(browser, "ol.examples li")) >= 3
    browser.save_screenshot(str(screenshots / "home.png"))
    box = css(browser, "#q")[0]
    box.send_keys("エヌビディア")
    box.submit()
    wait_until(browser, lambda d: "/search" in d.current_url, "the search form did not submit")
    results = [a.text for a in css(browser, "ol.results a.result")]
    assert "Nvidia" in results


def test_entity_picture_has_the_neighbours(browser: Any, site: str, kg: KnowledgeGraph, screenshots: Path) -> None:
    browser.get(site + "/resource/nvidia")
    wait_until(browser, graph_ready, "cytoscape did not draw the neighbourhood")
    nodes = set(browser.execute_script("return window.chipkgGraph.nodes().map(n => n.id())"))
    expected = {CKR + "nvidia"} | {i for r in kg.relations("nvidia") for i in (r.subject, r.object)}
    assert nodes == expected
    edges = browser.execute_script("return window.chipkgGraph.edges().length")
    assert edges == len(kg.relations("nvidia"))
    browser.save_screenshot(str(screenshots / "nvidia.png"))


def test_clicking_a_node_opens_its_page(browser: Any, site: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(site + "/resource/nvidia")
    wait_until(browser, graph_ready, "cytoscape did not draw the neighbourhood")
    container = css(browser, "#graph")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", container)
    x, y = browser.execute_script(
        "const p = window.chipkgGraph.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y];",
        CKR + "h20")
    size = container.size
    ActionChains(browser).move_to_element_with_offset(
        container, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()
    wait_until(browser, lambda d: urlsplit(d.current_url).path == "/resource/h20", "clicking H20 did not open its page")
    assert css(browser, "h1")[0].text == "H20"


def test_evidence_link_lands_on_the_highlighted_sentence(browser: Any, site: str, screenshots: Path) -> None:
    browser.get(site + "/resource/nvidia")
    first = css(browser, "td blockquote")[0].text
    css(browser, "a.evidence-link")[0].click()
    wait_until(browser, lambda d: urlsplit(d.current_url).path == "/resource/h20-article",
               "the evidence link did not open the article")
    target = browser.execute_script("const t = document.querySelector(':target'); return t && t.textContent")
    assert target == first
    colour = browser.execute_script("return getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert colour == "rgb(255, 229, 138)"  # the stylesheet's :target highlight
    browser.save_screenshot(str(screenshots / "evidence-target.png"))


def test_article_sentences_link_to_their_facts(browser: Any, site: str, screenshots: Path) -> None:
    browser.get(site + "/resource/h20-article")
    with_facts = css(browser, ".sentence.has-facts")
    assert len(with_facts) >= 10
    assert css(browser, "sup.facts a.fact-mark")
    browser.save_screenshot(str(screenshots / "article.png"))
    css(browser, "a.statement-link")[0].click()
    wait_until(browser, lambda d: "rdf:Statement" in d.page_source, "the statement page did not open")
    assert css(browser, "h2")[0].text == "Evidence"
    assert css(browser, "blockquote")


def test_ontology_page_lists_classes_with_both_labels(browser: Any, site: str) -> None:
    browser.get(site + "/ontology")
    row = css(browser, "tr#Regulator")[0]
    cells = [c.text for c in row.find_elements("css selector", "td")]
    assert cells[0] == "ckg:Regulator" and cells[1] and cells[2]  # English and Japanese labels
    assert css(browser, "tr#summoned")


def test_graphiql_runs_a_query_offline(browser: Any, site: str, screenshots: Path) -> None:
    browser.get(site + "/graphql?example=search-ja")
    wait_until(browser, lambda d: css(d, ".graphiql-execute-button"), "GraphiQL did not start")
    css(browser, ".graphiql-execute-button")[0].click()
    wait_until(browser, lambda d: "chinese-government" in (css(d, ".graphiql-response")[0].text or ""),
               "the query's result did not appear")
    browser.save_screenshot(str(screenshots / "graphiql.png"))


PAGES = ("/", "/search?q=CAC", "/resource/nvidia", "/resource/h20-article", "/resource/nvidia-makes-h20-2",
         "/ontology", "/graphql?example=h20-neighbourhood")


def test_no_request_leaves_127_0_0_1_and_nothing_breaks_the_policy(browser: Any, site: str) -> None:
    browser.get_log("performance")  # drop what earlier tests did
    browser.get_log("browser")
    for path in PAGES:
        browser.get(site + path)
        if path.startswith("/graphql"):
            wait_until(browser, lambda d: css(d, ".graphiql-execute-button"), "GraphiQL did not start")
        if path == "/resource/nvidia":
            wait_until(browser, graph_ready, "cytoscape did not draw the neighbourhood")
    requested = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    origins = {urlsplit(u).netloc for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert origins == {urlsplit(site).netloc}, requested
    assert any("/static/vendor/graphiql/graphiql.min.js" in u for u in requested)
    assert any("/static/vendor/cytoscape/cytoscape.min.js" in u for u in requested)
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []
