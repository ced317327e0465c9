"""The one Scrapy settings module (scrapy.cfg points here).

Polite by default: robots.txt obeyed, two requests at a time per host, a delay
with AutoThrottle, a 10 MB / 30 s cap per download, retries only where waiting
can help (timeouts, 5xx, 429). Tests and the local demo turn the delays off.
"""

from aggregator import __version__

BOT_NAME = "newsagg"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = (f"newsagg/{__version__} (regional e-government news aggregator; "
              "+https://github.com/newsagg/newsagg)")
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False   # Scrapy 2.19's HTTP control endpoint: nobody drives a crawl

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
CONCURRENT_ITEMS = 10            # 100 by default; fewer tasks per response is faster here
# Responses waiting for extraction and the store (Scrapy's default 5 MB): 2 MB keeps both
# workers busy and the crawl process 10-15 MB lower (measured at 1,000 pages, same time).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 2_000_000
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5       # ±50% around DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Only faults where trying again can help: the server or the path to it hiccuped.
# Not retried: a refused connection (nothing listens there; Scrapy retries at once,
# long before a restarted server is back, so a dead site would cost three tries a page)
# and a DNS failure (a name that does not resolve will not resolve a second later;
# a misspelt homepage should fail fast). Both fail and are counted as network errors.
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadTimeoutError",   # no answer in DOWNLOAD_TIMEOUT (also connect)
    "scrapy.exceptions.DownloadFailedError",    # connection dropped before the whole headers
    "scrapy.exceptions.ResponseDataLossError",  # connection dropped mid-body
    "twisted.internet.error.TCPTimedOutError",  # the OS gave up connecting (unwrapped)
    "twisted.web.client.RequestTransmissionFailed",  # dropped while sending (unwrapped)
]
NEWSAGG_RETRY_AFTER_MAX = 120    # s: a 429/503 asking to wait longer is a failure, not a wait
# A chain of http -> https -> www -> canonical path is 3 hops; 5 leaves room for one
# more and is what RFC 9309 asks for robots.txt. Scrapy's 20 lets one link cost 21 requests.
REDIRECT_MAX_TIMES = 5

# Scrapy's own redirect, retry and robots.txt middlewares, with newsagg's rules added
# (aggregator/middlewares.py), in the built-ins' places.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "aggregator.crawl.middlewares.StrictRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "aggregator.crawl.middlewares.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "aggregator.crawl.middlewares.SiteMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "aggregator.crawl.middlewares.SiteRedirectMiddleware": 600,
}

ITEM_PIPELINES = {"aggregator.crawl.pipeline.ExtractAndStorePipeline": 300}
EXTENSIONS = {
    "aggregator.crawl.extensions.ProgressReporter": 500,
    "aggregator.crawl.extensions.CrawlRunRecorder": 510,
    "aggregator.crawl.extensions.ReactorLag": 520,
}
LOG_LEVEL = "INFO"

# newsagg's own settings (the CLI fills them from its options and environment)
NEWSAGG_SOURCES = "sources.toml"
NEWSAGG_DB = "news.db"
NEWSAGG_RUN_ID = None            # crawl_runs.run_id; one is made up when absent
NEWSAGG_EXTRACT_WORKERS = None   # worker processes for extraction; None = one per core, 0 = inline
NEWSAGG_PROGRESS_INTERVAL = 2.0  # seconds between progress lines on stderr (0 = off)
# Sitemap indexes are followed this deep (a declared sitemap is 1) and this often per
# source and crawl: an index that always names one more index ends.
NEWSAGG_SITEMAP_DEPTH = 4
NEWSAGG_MAX_SITEMAPS = 1000
NEWSAGG_BUSY_TIMEOUT = 30.0      # seconds a write waits for another process's lock on the store
# The extraction function the workers run, by import path (tests put a crashing one here).
NEWSAGG_EXTRACTOR = "aggregator.extract.worker.extract_in_worker"
# `newsagg sources try`: fetch and extract as a crawl does, store nothing, stop after
# this many article pages (aggregator/crawl/dryrun.py).
NEWSAGG_DRY_RUN = False
NEWSAGG_DRY_RUN_LIMIT = 5
# Where the spider learns which URLs are stored already, when not NEWSAGG_DB: the user's
# database, opened read-only (a dry run's own store is an empty temporary one).
NEWSAGG_KNOWN_DB: str | None = None
