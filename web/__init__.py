"""The pages crisisgraph serves to people: GraphiQL with a tour of the API."""
