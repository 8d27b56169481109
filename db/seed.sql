-- Stock for N products: SKU-001 .. SKU-<N>, 'Item <n>', a deterministic quantity, nothing
-- reserved. Run by scripts/postgres.sh migrate with -v stock_rows=N (default 100000).
--
-- Idempotent by design: rows that already exist are left alone, so reserved counts survive a
-- restart, and a rerun with the same N writes nothing (it does not even draw identity values,
-- so ids stay 1..N on a fresh seed). A different N adds the missing SKUs and deletes the extra.

\if :{?stock_rows}
\else
  \set stock_rows 100000
\endif

BEGIN;

-- At least three digits (the lesson's SKU-001, SKU-007); lpad alone would cut SKU-1000 down to
-- three, so widen it instead.
CREATE TEMPORARY TABLE wanted_stock ON COMMIT DROP AS
SELECT 'SKU-' || lpad(n::text, greatest(3, length(n::text)), '0') AS sku,
       'Item ' || n AS name,
       (50 + (n * 7919) % 951)::integer AS quantity,
       n
FROM generate_series(1::bigint, :stock_rows::bigint) AS n;

-- New rows need stock_sku_idx, the unique index on stock(sku): without it (the slow-index-scan
-- fault's missing-index mode drops it) nothing stops a second row of one SKU, and a reservation's
-- all-or-nothing check counts rows per SKU. A rerun that adds nothing is still fine.
DO $$
BEGIN
  IF EXISTS (SELECT FROM wanted_stock w WHERE NOT EXISTS (SELECT FROM stock s WHERE s.sku = w.sku))
     AND NOT EXISTS (SELECT FROM pg_index
                     WHERE indexrelid = to_regclass('stock_sku_idx') AND indisunique AND indisvalid)
  THEN
    RAISE EXCEPTION 'seeding refused: stock_sku_idx (the unique index on stock.sku) is missing or not unique, and the seed would add SKUs'
      USING HINT = 'run ./hotorder fault slow-index-scan off, which restores the index, then seed again';
  END IF;
END
$$;

DELETE FROM stock s
WHERE NOT EXISTS (SELECT FROM wanted_stock w WHERE w.sku = s.sku);

INSERT INTO stock (sku, name, quantity)
SELECT w.sku, w.name, w.quantity
FROM wanted_stock w
WHERE NOT EXISTS (SELECT FROM stock s WHERE s.sku = w.sku)
ORDER BY w.n;

COMMIT;

-- Fresh statistics, so the planner uses stock_sku_idx from the first request on; and the
-- vacuum that two million new rows would otherwise get from autovacuum a minute later, in the
-- middle of a lesson's baseline traffic. Quick when the seed added nothing.
VACUUM (ANALYZE) stock;
