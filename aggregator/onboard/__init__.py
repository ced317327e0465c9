"""Onboarding a portal: finding what a site offers the crawl (feeds, sitemaps, listing
pages, the shape of its article URLs) and showing what a source would give, before
anything is stored.

- ``fetch``: a polite blocking fetcher (the crawl's User-Agent, delay and robots.txt)
"""
