"""Scrapy settings for the whole project: the one place where behaviour is configured."""

from pathlib import Path

from crawler.paths import SCRAPY_OUTPUT, default_dir

BOT_NAME = "vn-ict-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Our versions of `scrapy crawl` (exit status 1 when the run failed), `scrapy shell` and
# `scrapy parse` (sessions that are no run: they set RUN_FILES = False, which this module must
# leave unset, as a project setting outranks a command's; see pipelines/session.py).
COMMANDS_MODULE = "crawler.commands"
# `scrapy genspider -t portal NAME URL`: a site class of this project (crawler/templates/).
TEMPLATES_DIR = str(Path(__file__).resolve().parent / "templates")

# Where records land unless a run says otherwise (-s OUTPUT_DIR=...):
# <OUTPUT_DIR>/<site>/records/<run>.jsonl (rejects/ and manifests/ beside records/).
# This default is for plain `scrapy crawl` and Scrapyd: $CRAWLER_HOME (else the current
# directory)/scrapy-output, apart from the scheduled crawls' output/ (see crawler/paths.py).
OUTPUT_DIR = str(default_dir(SCRAPY_OUTPUT))
# Schema version written into every record; bump together with crawler/schema/.
SCHEMA_VERSION = "2"

# Politeness for small government servers.
# Who to contact about this crawler; set yours (-s CONTACT=mailto:data-team@example.org).
# The User-Agent is "vn-ict-crawler/0.1 (+CONTACT)" unless USER_AGENT is set.
CONTACT = "https://github.com/vn-ict-crawler/vn-ict-crawler"
USER_AGENT = None
ROBOTSTXT_OBEY = True
# The product token robots.txt rules are matched against.
ROBOTSTXT_USER_AGENT = "vn-ict-crawler"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Gaps between a site's requests are DOWNLOAD_DELAY × U(0.5, 1.5), one draw per gap (Scrapy's own
# downloader redraws while waiting: 1.22 × DOWNLOAD_DELAY on average; crawler/downloader.py).
DOWNLOADER = "crawler.downloader.PacedDownloader"
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Retries wait: Retry-After when the server sends it, else 1 s, 2 s, 4 s ... at most 60 s.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
# A request that fails for good is logged once, by the rejects log; Scrapy's own "gave up" line
# would repeat it at ERROR.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt handling, so that another site's robots.txt is not even fetched.
    "crawler.middlewares.SiteGuardMiddleware": 50,
    # Names a body that outgrew DOWNLOAD_MAXSIZE mid-stream (Scrapy reports only "cancelled").
    "crawler.middlewares.DownloadSizeMiddleware": 60,
    # Sees 3xx responses before RedirectMiddleware (600) turns them into requests.
    "crawler.middlewares.RedirectLoopMiddleware": 650,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "crawler.middlewares.ContactUserAgentMiddleware": 500,
}
# No spider uses Scrapy's request depth (the zero-config spider counts its own): one layer less
# around every callback's output.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}
DOWNLOAD_TIMEOUT = 30
# Portal pages are small; anything bigger is not an article.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = False
# Crawl cost: a response yields one article, or a listing's requests, and every pipeline is
# synchronous: concurrent output tasks per response (100 by default) only cost scheduling (one
# worker instead of 8: -0.38 M instructions per page, callgrind); and the generator-return
# warning re-reads every callback's source on every call.
CONCURRENT_ITEMS = 1
WARN_ON_GENERATOR_RETURN_VALUE = False
TELNETCONSOLE_ENABLED = False
# The cyclic garbage collector (crawler/gc_tuning.py): start-up objects frozen when the engine
# starts, collections rarer than Python's 700/10/10 (a page leaves no cycles behind, so this
# costs no memory; at 200 sites the collector took 16-24% of the CPU, 3% with these).
GC_FREEZE = True
GC_THRESHOLD = [10000, 20, 20]

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.dates.DatesPipeline": 200,
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.dedupe.DedupePipeline": 350,
    "pipelines.since.SincePipeline": 360,
    "pipelines.state.VersionPipeline": 370,
    "pipelines.validate.ValidatePipeline": 400,
    "pipelines.write.OutboxWriterPipeline": 500,
}
EXTENSIONS = {
    "pipelines.rejects.RejectsLog": 100,
    "crawler.report.RunReport": 200,
    "crawler.report.Progress": 300,
    "crawler.logformatter.ConciseErrorLog": 400,
    "crawler.gc_tuning.GcTuning": 500,
}

# Incremental crawling. STATE_DIR holds the SQLite state; unset, each run starts from nothing
# (`python -m crawler crawl` sets it, default $CRAWLER_HOME/state).
STATE_DIR = None
# A postgresql:// URL: the state in PostgreSQL instead (pipelines.state_pg), shared by processes
# on several hosts; it wins over STATE_DIR. `--state URL` sets it.
STATE_URL = None
# A table name: every record also goes into this PostgreSQL table, beside the JSONL files, in
# the transaction that commits it to the state (pipelines.records_table); needs STATE_URL.
# `--records-table NAME` sets it. Set it on every run of that state, or rows wait undelivered.
RECORDS_TABLE = None
INCREMENTAL = True
# Stop paginating a listing after this many known articles in a row (or a page of them).
KNOWN_RUN_STOP = 10
# Articles published within this many days are re-fetched to catch edits.
REFRESH_WINDOW_DAYS = 3
# One run per site and state at a time: a run holds its site's lock and renews it every third of
# this lease; a holder on another host whose lease ran out (on this host: whose process died) is
# taken over.
LOCK_LEASE_SECONDS = 600
# Carry on an interrupted run (same run id, listings walked without the early stop).
RESUME = False
# Skip articles published before this date (YYYY-MM-DD), when the listing or page says so.
SINCE = None
# Listing pages followed per listing at most (a guard against calendar traps).
MAX_LISTING_PAGES = 200
# Seconds between progress lines; 0 disables them.
PROGRESS_INTERVAL = 15
# Drift alarm: flag a site whose field coverage drops this much below its previous runs' median,
# or whose articles seen fall below this fraction of it.
DRIFT_COVERAGE_DROP = 0.3
DRIFT_SEEN_FRACTION = 0.5
# Bounds on hostile pages: none may hold the crawl (of every site in the process) for long.
# Links one page may have followed (listing entries, home-page candidates, a walked page's links).
MAX_LINKS_PER_PAGE = 2000
# Sitemap indexes followed at most this many levels down, and sitemap files fetched per site.
SITEMAP_MAX_DEPTH = 3
SITEMAP_MAX_FILES = 200
# A page with no known body container and more links than this is not handed to trafilatura.
FALLBACK_MAX_LINKS = 5000
# CPU seconds one page's extraction (or the generic spider's look at it) may take.
EXTRACT_MAX_SECONDS = 5.0
# Local feeds (-o/-O) are written to a temporary name and renamed when complete.
FEED_STORAGES = {
    "": "pipelines.write.AtomicFileFeedStorage",
    "file": "pipelines.write.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATTER = "crawler.logformatter.ConciseLogFormatter"
# No listening sockets on production crawl hosts (Scrapy's remote control and telnet consoles).
REMOTE_CONTROL_ENABLED = False
LOG_INSTALL_ROOT_HANDLER = True

# The zero-config spider (spiders/generic.py): pages its walk may fetch per portal, and a file to
# write the walked pages to (JSON lines of url, html) for replaying its site model offline.
SITE_MODEL_MAX_PAGES = 20000
SITE_MODEL_DUMP = None
# Pages the site model learns from before the walk judges each page as it comes (held in memory
# until then: a portal larger than this is crawled in flat memory), and page requests handed to
# Scrapy at once (0: four per concurrent request to the site, at least 8).
SITE_MODEL_SAMPLE_PAGES = 1000
FRONTIER_REQUESTS = 0
# Family spiders: home-page links tried as listings when the family's default path is missing;
# "always" discovers listings from the home page even when that path works.
MAX_LISTINGS = 50
DISCOVER_LISTINGS = "fallback"

# Alerts (crawler/alerts.py): a run whose status is in ALERT_ON, or that raises a drift alarm when
# "drift" is in it, is sent once, when it ends, by e-mail and/or as a JSON POST to a webhook. No
# channel is configured by default. ALERT_SMTP_PASSWORD may also come from the environment
# variable of that name. A channel that fails costs a warning line, never the run.
ALERT_ON = ["failed", "drift"]
ALERT_SMTP_HOST = None
ALERT_SMTP_PORT = 25
ALERT_SMTP_FROM = None  # default vn-ict-crawler@localhost
ALERT_SMTP_TO = []  # a list, or "a@x.vn,b@x.vn" on the command line
ALERT_SMTP_USER = None
ALERT_SMTP_PASSWORD = None
ALERT_SMTP_STARTTLS = False
ALERT_WEBHOOK_URL = None
# Seconds per socket operation; all channels together are given three times this at most.
ALERT_TIMEOUT = 10
# After crawler.report.RunReport (200), whose manifest the alert reads.
EXTENSIONS = {**EXTENSIONS, "crawler.alerts.RunAlerts": 900}
