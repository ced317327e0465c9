"""Browsing the store in Datasette: metadata (titles, facets, canned queries), a plugin
(word-form search, links, snippets, a latest-first facet, CSV with a BOM) and templates
for the article list, an article, the database page and the digest archive."""
