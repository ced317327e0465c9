"""Dates: reading date strings in ru/uk/en and more, finding a page's dates, and the
rule that picks the publication date.

- ``parse``: one string -> an ISO 8601 value (:func:`parse_date`, :func:`find_date`)
- ``words``: month names, relative words and the patterns built on them
- ``url``: the day a URL's path is dated with
- ``page``: the dates a page states (metadata, datelines, URL, markup)
- ``datelines``, ``chrome``: where on a page a date is the article's, and what is not
  (menus, clocks, related lists)
- ``publication``: the published and modified dates of an article, from its page and
  from what its feed or sitemap said (``hints``: those, as the crawl hands them over)
"""
