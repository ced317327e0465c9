"""Onboarding a portal: finding what a site offers the crawl (feeds, sitemaps, listing
pages, the shape of its article URLs) and showing what a source would give, before
anything is stored.

- ``fetch``: a polite blocking fetcher (the crawl's User-Agent, delay and robots.txt)
- ``probe``: pure readers of what a site shows (feed links, news sections, URL shapes,
  the article pattern, the time-zone guess)
- ``discover``: `sources add`, step by step within a request budget -> a Proposal
- ``tryout``: `sources try`, one source run as the crawl runs it, nothing stored
- ``inspect``: `extract`, one page or file through extract_article
"""
