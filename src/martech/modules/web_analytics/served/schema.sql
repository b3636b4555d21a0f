CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY,
    ts            TEXT NOT NULL,     -- when it happened, shop time: 2026-11-02 09:15:03
    client_id     TEXT NOT NULL,     -- the browser's id from the first-party cookie: a "user"
    event         TEXT NOT NULL,     -- page_view, user_engagement, add_to_cart, begin_checkout, purchase
    page          TEXT,              -- the path of the page, e.g. /autumn-sale
    utm_source    TEXT,              -- the campaign tags of that page's address, if any
    utm_medium    TEXT,
    utm_campaign  TEXT,
    referrer      TEXT,              -- the page on another site that linked here, if any
    user_agent    TEXT,
    device        TEXT,              -- desktop, mobile or tablet, read from the user agent
    is_bot        INTEGER NOT NULL DEFAULT 0,  -- 1 when the user agent names a known bot
    engagement_ms INTEGER,           -- user_engagement: milliseconds the page was visible
    value         REAL,              -- purchase: the order's value in euros
    order_id      TEXT,              -- purchase: the shop's order number
    variant       TEXT,              -- A/B test: the landing-page headline this browser saw
    transport     TEXT,              -- how it arrived: pixel (GET) or beacon (POST)
    session_id    TEXT,              -- filled in by assign_sessions(): client_id-number
    source        TEXT,              -- the session's traffic source, medium and campaign
    medium        TEXT,
    campaign      TEXT
);
CREATE INDEX IF NOT EXISTS events_by_client ON events (client_id, ts, id);
CREATE TABLE IF NOT EXISTS orders (        -- the shop's own order system, not analytics
    order_id   TEXT PRIMARY KEY,
    ts         TEXT NOT NULL,
    client_id  TEXT,
    value      REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (      -- the web server's log: every page it served
    id         INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    path       TEXT NOT NULL,
    user_agent TEXT
);
