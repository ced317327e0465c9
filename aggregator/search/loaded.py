"""Imported by the extraction pool's forkserver (aggregator/crawl/workerpool.py): the
ru and uk dictionaries load once there, and the workers forked from it share their pages
instead of each loading its own copy."""

from aggregator.search.lemmas import analyzers

analyzers()
