"""The explorer, `/explore` and `/explore/{crisis}`: a crisis on a timeline, a map and a table,
drawn in the browser from this server's own GraphQL API (the saved operations in queries/),
with d3, the TopoJSON client and Natural Earth's borders (world-atlas) installed by
`python -m server assets` beside GraphiQL. Nothing is loaded from another host."""
