"""Everything that runs in Scrapy's process. None of it imports trafilatura or htmldate:
pages go to worker processes for extraction (``workerpool``), and the crawl process's
memory depends on the extraction libraries staying out of it (a test checks).

- ``run``: one crawl, start to summary (:func:`run_crawl`)
- ``discovery``: feeds, sitemaps and listings -> links, pure readers of bytes
- ``xmlsafe``: XML streamed with entities and DTDs refused
- ``middlewares``: redirects kept on site, ``Retry-After``, robots.txt per RFC 9309
- ``pipeline``: extraction in the workers, then the store
- ``workerpool``, ``storewriter``: the worker processes, the store's own thread
- ``extensions``: progress, the ``crawl_runs`` rows, the reactor's stalls
"""
