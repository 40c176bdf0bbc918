"""A do-nothing spider: fetch every URL of a file, parse nothing, store nothing. Its pages/s on a
farm is the engine's own limit there, the ceiling for the real spider's throughput.

    scrapy runspider bench/nullspider.py -a urls=FILE -s CONCURRENT_REQUESTS=64
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import scrapy


class NullSpider(scrapy.Spider):
    name = "null"

    def __init__(self, urls: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.urls_path = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with open(self.urls_path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield scrapy.Request(line.strip(), callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None
