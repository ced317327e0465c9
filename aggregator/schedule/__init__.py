"""Running newsagg unattended, and knowing how it went.

settings   the `[schedule]` table and cron expressions
lock       one scheduler per database (flock beside the file)
jobs       a crawl as its own process with a time limit, the digest; `job_runs`
scheduler  APScheduler wiring, catching up on missed work from the store, clean stops
status     `newsagg status`: last and next crawl, recent articles, health
"""
