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

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
CONCURRENT_ITEMS = 10            # 100 by default; fewer tasks per response is faster here
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
RETRY_EXCEPTIONS = [
    "twisted.internet.defer.TimeoutError",
    "twisted.internet.error.TimeoutError",
    "twisted.internet.error.TCPTimedOutError",
]

ITEM_PIPELINES = {"aggregator.pipelines.ExtractAndStorePipeline": 300}
EXTENSIONS = {
    "aggregator.extensions.ProgressReporter": 500,
    "aggregator.extensions.CrawlRunRecorder": 510,
}
LOG_LEVEL = "INFO"

# newsagg's own settings (the CLI fills them from its options and environment)
NEWSAGG_SOURCES = "sources.toml"
NEWSAGG_DB = "news.db"
NEWSAGG_RUN_ID = None            # crawl_runs.run_id; one is made up when absent
NEWSAGG_EXTRACT_WORKERS = None   # worker processes for extraction; None = one per core, 0 = inline
NEWSAGG_PROGRESS_INTERVAL = 2.0  # seconds between progress lines on stderr (0 = off)
