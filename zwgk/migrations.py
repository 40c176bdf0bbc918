"""Named, ordered migrations for the store (the sqlite-migrate idea, kept in-house and tiny).

A migration is applied once, in order, and recorded in `migrations`; never edit one that has
shipped: add a new one. docs/schema.md documents the resulting tables.
"""

from __future__ import annotations

import sqlite_utils

# (name, SQL script); each runs in one transaction with its record in `migrations`.
MIGRATIONS: list[tuple[str, str]] = [
    (
        "m001_core",
        """
        CREATE TABLE units (
            unit_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT,
            site_code TEXT, portal TEXT, disclosure TEXT NOT NULL, hosts TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE sites (
            site_id INTEGER PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(unit_id),
            role TEXT NOT NULL CHECK (role IN ('portal', 'disclosure')), url TEXT NOT NULL,
            host TEXT NOT NULL, cms TEXT, site_id_code TEXT,
            first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
            UNIQUE (unit_id, role)
        );
        CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'run',
            started_at TEXT NOT NULL, finished_at TEXT, clock_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'failed', 'killed')),
            units_total INTEGER NOT NULL DEFAULT 0, pages_fetched INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0, exit_code INTEGER, error TEXT,
            stats TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE site_runs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'blocked', 'down', 'error')),
            block TEXT, error TEXT, pages INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0, finished_at TEXT NOT NULL,
            PRIMARY KEY (run_id, site_id)
        );
        CREATE TABLE pages (
            page_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER REFERENCES sites(site_id), url TEXT NOT NULL, kind TEXT NOT NULL,
            status INTEGER, bytes INTEGER, elapsed_ms INTEGER, error TEXT, block TEXT,
            fetched_at TEXT NOT NULL
        );
        CREATE INDEX pages_run_site ON pages (run_id, site_id);
        CREATE INDEX pages_url ON pages (url);
        CREATE TABLE columns (
            column_id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL REFERENCES sites(site_id),
            unit_id TEXT NOT NULL REFERENCES units(unit_id), url TEXT NOT NULL, name TEXT NOT NULL,
            catalog_path TEXT NOT NULL DEFAULT '', category TEXT, category_source TEXT,
            section TEXT, is_home INTEGER NOT NULL DEFAULT 0,
            first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, last_run_id INTEGER,
            etag TEXT, last_modified TEXT,
            UNIQUE (site_id, url)
        );
        CREATE INDEX columns_unit ON columns (unit_id);
        CREATE TABLE column_runs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            column_id INTEGER NOT NULL REFERENCES columns(column_id),
            status TEXT NOT NULL CHECK (status IN ('ok', 'placeholder', 'blocked', 'failed')),
            pages INTEGER NOT NULL DEFAULT 0, items_seen INTEGER NOT NULL DEFAULT 0,
            new_items INTEGER NOT NULL DEFAULT 0, error TEXT, crawled_at TEXT NOT NULL,
            PRIMARY KEY (run_id, column_id)
        );
        CREATE INDEX column_runs_column ON column_runs (column_id, run_id);
        CREATE TABLE items (
            item_id INTEGER PRIMARY KEY, column_id INTEGER NOT NULL REFERENCES columns(column_id),
            url TEXT NOT NULL, title TEXT NOT NULL, pub_date TEXT, date_source TEXT,
            index_no TEXT, doc_no TEXT, publisher TEXT, written_date TEXT, meta_pub_date TEXT,
            detail_fetched INTEGER NOT NULL DEFAULT 0,
            first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
            first_run_id INTEGER NOT NULL, last_run_id INTEGER NOT NULL,
            UNIQUE (column_id, url)
        );
        CREATE INDEX items_column_date ON items (column_id, pub_date);
        CREATE INDEX items_first_run ON items (first_run_id, column_id);
        CREATE TABLE sections (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            section TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL,
            status INTEGER, ok INTEGER NOT NULL,
            PRIMARY KEY (run_id, site_id, section, url)
        );
        CREATE TABLE findings (
            finding_id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, rule TEXT NOT NULL,
            unit_id TEXT NOT NULL, site_id INTEGER, column_id INTEGER,
            site_url TEXT, column_url TEXT, column_name TEXT,
            severity TEXT NOT NULL CHECK (severity IN ('veto', 'deduct', 'warn')),
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'waived')),
            first_detected_at TEXT NOT NULL, last_detected_at TEXT NOT NULL, resolved_at TEXT,
            summary TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '{}',
            opened_run_id INTEGER, last_run_id INTEGER,
            waived_at TEXT, waive_reason TEXT, reopened_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX findings_unit_status ON findings (unit_id, status);
        CREATE INDEX findings_rule ON findings (rule, status);
        CREATE TABLE finding_events (
            event_id INTEGER PRIMARY KEY, finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
            run_id INTEGER, event TEXT NOT NULL, at TEXT NOT NULL, note TEXT
        );
        CREATE INDEX finding_events_finding ON finding_events (finding_id);
        CREATE TABLE verdicts (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id), unit_id TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('合格', '不合格', '未评估')),
            veto_rules TEXT NOT NULL DEFAULT '[]', decided_at TEXT NOT NULL,
            PRIMARY KEY (run_id, site_id)
        );
        CREATE TABLE rule_runs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id), rule TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'crashed')), error TEXT,
            findings INTEGER NOT NULL DEFAULT 0, elapsed_ms INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, rule)
        );
        CREATE TABLE probes (
            probe_id INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, url TEXT NOT NULL,
            probed_at TEXT NOT NULL, ok INTEGER NOT NULL, status INTEGER,
            elapsed_ms INTEGER, error TEXT
        );
        CREATE INDEX probes_unit_time ON probes (unit_id, probed_at);
        """,
    ),
    (
        "m002_catalog_signature",
        """
        -- A site's catalog is rediscovered only when its root navigation changes or ages out,
        -- so a daily run fetches about one page per column (incremental crawling).
        ALTER TABLE sites ADD COLUMN catalog_sig TEXT;
        ALTER TABLE sites ADD COLUMN catalog_at TEXT;
        ALTER TABLE sites ADD COLUMN catalog_run_id INTEGER;
        """,
    ),
    (
        "m003_schedule_runs",
        """
        CREATE TABLE schedule_runs (
            schedule_run_id INTEGER PRIMARY KEY, job_id TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'ok', 'failed', 'timeout', 'killed')),
            exit_code INTEGER, pid INTEGER, run_id INTEGER, argv TEXT NOT NULL DEFAULT '[]',
            counts TEXT NOT NULL DEFAULT '{}', error_tail TEXT
        );
        CREATE INDEX schedule_runs_job ON schedule_runs (job_id, status, started_at);
        """,
    ),
    (
        "m004_column_origin",
        """
        -- Where a column was found: in a site's 政府信息公开 catalog; only in the portal's own
        -- menus (工作动态 behind a 更多 link); or as a portal catalog entry that links straight
        -- into the platform (crawled as the platform's column, compared by catalog-mismatch).
        ALTER TABLE columns ADD COLUMN origin TEXT NOT NULL DEFAULT 'catalog'
            CHECK (origin IN ('catalog', 'menu', 'link'));
        """,
    ),
    (
        "m005_unit_active",
        """
        -- A unit dropped from the units file keeps its history but leaves the run's reports.
        ALTER TABLE units ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
        """,
    ),
    (
        "m006_items_url",
        """
        -- A detail page read once serves every column of the site that lists the item: the
        -- pipeline looks new rows' URLs up among the site's read items. Without this index
        -- each lookup probed every column of the site (columns x rows probes a list page,
        -- growing with the catalog); partial, so inserting a new item does not pay for it.
        CREATE INDEX items_url ON items (url) WHERE detail_fetched = 1;
        """,
    ),
    (
        "m007_column_partial",
        """
        -- A column read only in part (a later list page failed, a pager that could not be
        -- read) is 'partial' and never judged blank or stale; one whose older pages were left
        -- by the page limit is 'capped' (its newest pages were read: freshness still holds).
        CREATE TABLE column_runs_new (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            column_id INTEGER NOT NULL REFERENCES columns(column_id),
            status TEXT NOT NULL CHECK (
                status IN ('ok', 'placeholder', 'capped', 'partial', 'blocked', 'failed')),
            pages INTEGER NOT NULL DEFAULT 0, items_seen INTEGER NOT NULL DEFAULT 0,
            new_items INTEGER NOT NULL DEFAULT 0, error TEXT, crawled_at TEXT NOT NULL,
            PRIMARY KEY (run_id, column_id)
        );
        INSERT INTO column_runs_new SELECT * FROM column_runs;
        DROP TABLE column_runs;
        ALTER TABLE column_runs_new RENAME TO column_runs;
        CREATE INDEX column_runs_column ON column_runs (column_id, run_id);
        """,
    ),
    (
        "m008_section_external",
        """
        -- A catalog entry pointing outside the unit's hosts (a provincial 依申请公开 platform,
        -- say) is present but not checked: recorded with external = 1, never fetched, never
        -- judged missing or dead.
        ALTER TABLE sections ADD COLUMN external INTEGER NOT NULL DEFAULT 0
            CHECK (external IN (0, 1));
        """,
    ),
    (
        "m009_page_meta",
        """
        -- meta-missing: per site, page kind (home/list/detail) and run, how many pages were
        -- read (tag '', state 'checked') and how many lacked each required meta (absent) or
        -- had it blank (empty), with up to 3 distinct example URLs. Tallies, not one row per page: a
        -- few rows per site per run whatever its size, written once per pipeline commit.
        CREATE TABLE page_meta (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            kind TEXT NOT NULL CHECK (kind IN ('home', 'list', 'detail')),
            tag TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('checked', 'absent', 'empty')),
            pages INTEGER NOT NULL,
            examples TEXT NOT NULL DEFAULT '[]',
            -- site and kind first: the rule reads each kind's latest reading of a site
            PRIMARY KEY (site_id, kind, run_id, tag, state)
        );
        -- The SiteIDCode values pages carried (non-empty), per run, site and page kind.
        CREATE TABLE page_site_codes (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            kind TEXT NOT NULL CHECK (kind IN ('home', 'list', 'detail')),
            value TEXT NOT NULL,
            pages INTEGER NOT NULL,
            example_url TEXT NOT NULL,
            PRIMARY KEY (site_id, kind, run_id, value)
        );
        """,
    ),
    (
        "m010_link_checks",
        """
        -- broken-link: per run and site (the site whose page showed the link), only the links
        -- that failed (with the page each was found on, its HTTP status or error), plus counts:
        -- links checked, failed, left unchecked as off-site or over the site's cap. A healthy
        -- link costs a counter, not a row.
        CREATE TABLE broken_links (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            url TEXT NOT NULL,
            source_url TEXT NOT NULL,
            status INTEGER,
            error TEXT,
            PRIMARY KEY (site_id, run_id, url)
        );
        CREATE TABLE link_counts (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            checked INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            offsite INTEGER NOT NULL DEFAULT 0,
            capped INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (site_id, run_id)
        );
        """,
    ),
    (
        "m011_detail_links",
        """
        -- interpretation-missing: the related links (相关链接, 相关解读, 原文链接, 附件 …) of each
        -- detail page read, at most 20 a page (crawler/extract/related.py), replaced when the
        -- page is read again. items.related_links is how many the page showed when it was read
        -- after this migration (0: none); NULL: not read since, so link direction is unknown.
        CREATE TABLE detail_links (
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            page_url TEXT NOT NULL,
            url TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (site_id, page_url, url)
        ) WITHOUT ROWID;
        CREATE INDEX detail_links_url ON detail_links (url);
        ALTER TABLE items ADD COLUMN related_links INTEGER;
        """,
    ),
    (
        "m012_scores",
        """
        -- 季度测评 scores (reports/scores.py): one row per period (2026Q4, or a date range
        -- 2026-10-01..2026-12-31) and unit, computed from the findings with the scoring table
        -- whose version they record. A period that has ended (final = 1) keeps its rows until
        -- re-scored on request, so a published 通报 keeps its figures; rank and change are
        -- derived from these rows when read. `detail` JSON: indicators with their deductions
        -- and the findings behind each, vetoes, bonuses.
        CREATE TABLE scores (
            period TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            unit_name TEXT NOT NULL,
            score REAL,
            full_marks REAL NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('合格', '不合格', '未评估')),
            detail TEXT NOT NULL DEFAULT '{}',
            table_version TEXT NOT NULL,
            final INTEGER NOT NULL CHECK (final IN (0, 1)),
            computed_at TEXT NOT NULL,
            PRIMARY KEY (period, unit_id)
        );
        """,
    ),
    (
        "m013_offsite_links",
        """
        -- broken-link's off-site checks (an operator's grant, broken-link offsite_enabled).
        -- offsite_refs: the off-site links a run's pages showed, per site (first page wins),
        -- with the day they were seen; offsite_checks: each off-site URL's answer per day,
        -- asked once a day across all units, runs and workers (ok NULL: no verdict, such as an
        -- address the grant does not reach). The rule joins the two on (day, url). Pruned
        -- after each run (zwgk/store.py prune_observations).
        CREATE TABLE offsite_refs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site_id INTEGER NOT NULL REFERENCES sites(site_id),
            url TEXT NOT NULL,
            source_url TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (site_id, run_id, url)
        ) WITHOUT ROWID;
        CREATE TABLE offsite_checks (
            day TEXT NOT NULL,
            url TEXT NOT NULL,
            status INTEGER,
            error TEXT,
            ok INTEGER CHECK (ok IN (0, 1)),
            checked_at TEXT NOT NULL,
            PRIMARY KEY (day, url)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "m014_evidence",
        """
        -- The evidence archive (zwgk/evidence.py): each payload once, by its sha256, in a WARC
        -- file of the archive folder; a capture per page fetched (a 304 answer points at the
        -- payload it confirmed); findings linked to the captures they rest on.
        CREATE TABLE evidence_records (
            sha256 TEXT PRIMARY KEY,
            warc TEXT NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            run_id INTEGER,
            stored_at TEXT NOT NULL
        );
        CREATE INDEX evidence_records_warc ON evidence_records (warc, offset);
        CREATE TABLE captures (
            capture_id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL,
            site_id INTEGER,
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            status INTEGER,
            captured_at TEXT NOT NULL,
            sha256 TEXT NOT NULL
        );
        -- one index (finding links look captures up by URL); pruning, rare, scans
        CREATE INDEX captures_url ON captures (url, run_id);
        CREATE TABLE finding_evidence (
            finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
            url TEXT NOT NULL,
            run_id INTEGER NOT NULL,
            capture_id INTEGER NOT NULL,
            PRIMARY KEY (finding_id, url, run_id)
        );
        CREATE INDEX finding_evidence_capture ON finding_evidence (capture_id);
        """,
    ),
    (
        "m015_review",
        """
        -- The review workspace (`zwgk serve`, zwgk/web/). Everything here is written by people
        -- through the web app or `zwgk user`, never by a crawl: a run only writes findings and
        -- finding_events, so what a person wrote is never overwritten.
        -- users: role supervisor (all units) or unit (one unit_id); argon2 hashes; active 0
        -- disables the account and its sessions.
        CREATE TABLE users (
            user_id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('supervisor', 'unit')),
            unit_id TEXT,
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            CHECK ((role = 'unit') = (unit_id IS NOT NULL))
        );
        -- sessions: server-side; the cookie holds a random token, the table its SHA-256, so a
        -- copy of the store cannot log anyone in. Deleted on logout, passwd and disable.
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(user_id),
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            client TEXT
        ) WITHOUT ROWID;
        CREATE INDEX sessions_user ON sessions (user_id);
        -- login_attempts: failed and successful logins, for rate limiting per username and
        -- per client address (pruned as they age out of the window).
        CREATE TABLE login_attempts (
            attempt_id INTEGER PRIMARY KEY,
            username TEXT NOT NULL COLLATE NOCASE,
            client TEXT NOT NULL,
            at TEXT NOT NULL,
            ok INTEGER NOT NULL CHECK (ok IN (0, 1))
        );
        CREATE INDEX login_attempts_user ON login_attempts (username, at);
        CREATE INDEX login_attempts_client ON login_attempts (client, at);
        -- finding_reviews: a supervisor's decision on a finding (confirmed = 人工核对, rejected =
        -- false positive, waived through checks/lifecycle.py with the same reason) and an
        -- optional deadline set by hand (else the configured working days apply).
        CREATE TABLE finding_reviews (
            finding_id INTEGER PRIMARY KEY REFERENCES findings(finding_id),
            decision TEXT CHECK (decision IN ('confirmed', 'rejected')),
            reason TEXT,
            decided_by INTEGER REFERENCES users(user_id),
            decided_at TEXT,
            deadline TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE finding_notes (
            note_id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
            user_id INTEGER NOT NULL REFERENCES users(user_id),
            at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX finding_notes_finding ON finding_notes (finding_id);
        -- finding_responses: a unit's 整改情况, every one kept; after_run_id is the newest run
        -- when it was written, so the re-check is the first run after it (never the clock).
        CREATE TABLE finding_responses (
            response_id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
            unit_id TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(user_id),
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            evidence_url TEXT,
            after_run_id INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX finding_responses_finding ON finding_responses (finding_id);
        -- audit_log: logins, decisions, responses and status changes, who and when.
        CREATE TABLE audit_log (
            audit_id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            username TEXT NOT NULL,
            action TEXT NOT NULL,
            unit_id TEXT,
            finding_id INTEGER,
            detail TEXT NOT NULL DEFAULT '',
            client TEXT
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        """,
    ),
    (
        "m016_evidence_records_compact",
        """
        -- evidence_records keyed by its sha256 alone: a rowid table kept every hash twice (the
        -- row and its primary-key index), ~80 bytes a stored page (bench/RESULTS.md); and no
        -- (warc, offset) index (36 bytes a page, 95 on a WITHOUT ROWID table): only prune and
        -- verify read records by file, once a day, in one sorted scan.
        CREATE TABLE evidence_records_new (
            sha256 TEXT PRIMARY KEY,
            warc TEXT NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            run_id INTEGER,
            stored_at TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO evidence_records_new
            SELECT sha256, warc, offset, length, bytes, run_id, stored_at FROM evidence_records;
        DROP TABLE evidence_records;
        ALTER TABLE evidence_records_new RENAME TO evidence_records;
        """,
    ),
    (
        "m017_captures_in_pages",
        """
        -- A capture is the pages row of its fetch (capture_id = pages.page_id: run, site, URL,
        -- kind, status and time are there already) and the payload it showed, by an integer
        -- key of evidence_records: ~11 bytes a capture instead of ~255 (URL, times and hex
        -- sha256 again, and an index by URL; bench/RESULTS.md). A capture's URL lookups go
        -- through pages_url. Records are one per distinct payload, so the sha256 held twice
        -- there (row and UNIQUE index, what `known` and the pipeline look up) costs little.
        ALTER TABLE evidence_records RENAME TO m017_records;
        ALTER TABLE captures RENAME TO m017_captures;
        CREATE TABLE evidence_records (
            record_id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            warc TEXT NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            run_id INTEGER,
            stored_at TEXT NOT NULL
        );
        INSERT INTO evidence_records (sha256, warc, offset, length, bytes, run_id, stored_at)
            SELECT sha256, warc, offset, length, bytes, run_id, stored_at FROM m017_records
            ORDER BY stored_at, warc, offset;
        -- Each old capture's fetch: the newest pages row of the same run, site, URL and kind
        -- (the pipeline wrote both from one PageRecord), and its payload's new record_id.
        CREATE TEMP TABLE m017_map (
            old_id INTEGER PRIMARY KEY, page_id INTEGER, record_id INTEGER
        );
        INSERT INTO m017_map
            SELECT c.capture_id,
                (SELECT max(p.page_id) FROM pages p WHERE p.url = c.url
                    AND +p.run_id = c.run_id AND p.kind = c.kind AND p.site_id IS c.site_id),
                (SELECT r.record_id FROM evidence_records r WHERE r.sha256 = c.sha256)
            FROM m017_captures c;
        -- Dropped: a capture with no pages row (none should exist: pages rows are never
        -- deleted) or whose payload has no record (nothing to show), and the finding_evidence
        -- rows that pointed at it. Records left with no capture go at the next prune.
        DELETE FROM m017_map WHERE page_id IS NULL OR record_id IS NULL;
        CREATE TABLE captures (
            capture_id INTEGER PRIMARY KEY,  -- pages.page_id of the fetch
            record_id INTEGER NOT NULL       -- evidence_records.record_id of its payload
        );
        -- Two old captures of one fetch's page (a URL fetched twice by one run's site and
        -- kind) become one: the newest capture's payload, and both captures' links.
        INSERT INTO captures (capture_id, record_id)
            SELECT page_id, record_id FROM (
                SELECT page_id, record_id, max(old_id) FROM m017_map GROUP BY page_id
            );
        DELETE FROM finding_evidence WHERE capture_id NOT IN (SELECT old_id FROM m017_map);
        UPDATE finding_evidence
            SET capture_id = (
                SELECT page_id FROM m017_map WHERE old_id = finding_evidence.capture_id
            );
        DROP TABLE temp.m017_map;
        DROP TABLE m017_captures;
        DROP TABLE m017_records;
        """,
    ),
]


def apply(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order; returns the names applied now."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        # executescript commits first; BEGIN/COMMIT inside makes the migration all-or-nothing.
        db.executescript(
            f"BEGIN;\n{sql}\nINSERT INTO migrations (name, applied_at) "
            f"VALUES ('{name}', datetime('now'));\nCOMMIT;"
        )
        applied.append(name)
    return applied
