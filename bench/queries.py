"""The five benchmark operations, as a user would send them."""

from __future__ import annotations

from typing import Any

EVENT_FIELDS = """
  id
  __typename
  title
  description
  kind
  date { iso year month day precision }
  endDate { iso }
  note
  participants { role actor { id name kind } }
  places { id name kind latitude longitude }
  evidence { quote start end }
  figures { value measure }
"""

EVENTS_PAGE = f"""
query EventsPage($first: Int!) {{
  events(first: $first) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {EVENT_FIELDS} }}
  }}
}}
"""

SEARCH = """
query Search($q: String!) {
  search(query: $q, first: 10) {
    totalCount
    mode
    suggestion
    edges {
      cursor
      score
      highlights { field fragment }
      node {
        __typename
        ... on Passage { id seq section }
        ... on Actor { id name kind }
        ... on Event { id title date { iso } }
        ... on Place { id name }
        ... on Document { id title }
        ... on Resolution { id number }
        ... on Figure { id measure value }
      }
    }
    facets {
      types { type count }
      years { value count }
      actors { count actor { id name } }
      sections { value count }
    }
  }
}
"""

ACTOR_DEEP = """
query ActorDeep($name: String!) {
  actor(name: $name) {
    id
    name
    kind
    aliases
    relations {
      kind
      start { iso }
      end { iso }
      subject { id name relations { kind object { name } } }
      object { id name events(first: 5) { nodes { title places { name country { name } } } } }
    }
    events(first: 20) {
      totalCount
      nodes {
        id
        title
        date { iso }
        places { id name country { name events(first: 3) { nodes { title } } } }
        participants { role actor { name } }
      }
    }
  }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Actor { name kind description aliases }
  }
}
"""

SEARCH_TEXT = "refugees Timbuktu"
ACTOR_NAME = "MNLA"
NODE_ID = "QWN0b3I6bWFsaTptbmxh"  # Actor:mali:mnla


def operations() -> dict[str, tuple[str, dict[str, Any]]]:
    """name -> (document, variables), in the order the results list them."""
    return {
        "events100": (EVENTS_PAGE, {"first": 100}),
        "events10": (EVENTS_PAGE, {"first": 10}),
        "search": (SEARCH, {"q": SEARCH_TEXT}),
        "actor": (ACTOR_DEEP, {"name": ACTOR_NAME}),
        "node": (NODE, {"id": NODE_ID}),
    }
