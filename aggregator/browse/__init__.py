"""Browsing the store in Datasette: metadata (titles, facets, search, canned queries),
a plugin that links titles to article pages, and the article page template."""
