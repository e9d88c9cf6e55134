"""Scrapy settings for the whole project: the one place where behaviour is configured."""

from pathlib import Path

BOT_NAME = "vn-ict-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Where records land unless a run says otherwise (-s OUTPUT_DIR=...).
OUTPUT_DIR = str(Path(__file__).resolve().parent.parent / "output")
# Schema version written into every record; bump together with crawler/schema/.
SCHEMA_VERSION = "1"

# Politeness for small government servers.
CONTACT = "https://github.com/vn-ict-crawler"
USER_AGENT = f"vn-ict-crawler/0.1 (+{CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
# Portal pages are small; anything bigger is not an article.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.dates.DatesPipeline": 200,
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.dedupe.DedupePipeline": 350,
    "pipelines.validate.ValidatePipeline": 400,
    "pipelines.write.JsonlWriterPipeline": 500,
}
EXTENSIONS = {
    "pipelines.rejects.RejectsLog": 100,
}
# Local feeds (-o/-O) are written to a temporary name and renamed when complete.
FEED_STORAGES = {
    "": "pipelines.write.AtomicFileFeedStorage",
    "file": "pipelines.write.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATTER = "crawler.logformatter.ConciseLogFormatter"
