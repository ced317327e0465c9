"""The daily digest: what the store first saw in a day, by topic and story, mailed once.

settings  the `[digest]`, `[smtp]` and `[[topic]]` tables of the sources file
topics    keyword rules matched in every ru/uk word form and English stem
select    the window, the articles in it, grouped by topic and story (reads the store)
i18n      the reader's language: labels, babel's plurals and month names (catalogue: the
          labels, one dict per language)
text      one-line titles, leads cut at a sentence end, safe links, display dates
render    Jinja2 templates (html, text, markdown, atom) and the subject line
mail      the multipart message and the SMTP conversation, with clear errors
crawls    what the window's crawls did: none ran, sources unread or not crawled
lock      one date sent by one process at a time (a byte-range lock beside the database)
deliver   refuse an open window; claim, send and record one date, so it is mailed once
"""
