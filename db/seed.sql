-- Stock for N products: SKU-000001 .. SKU-<N>, 'Item <n>', a deterministic quantity, nothing
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

-- At least six digits; lpad alone would cut SKU-1000000 down to six, so widen it instead.
CREATE TEMPORARY TABLE wanted_stock ON COMMIT DROP AS
SELECT 'SKU-' || lpad(n::text, greatest(6, length(n::text)), '0') AS sku,
       'Item ' || n AS name,
       (50 + (n * 7919) % 951)::integer AS quantity,
       n
FROM generate_series(1::bigint, :stock_rows::bigint) AS n;

DELETE FROM stock s
WHERE NOT EXISTS (SELECT FROM wanted_stock w WHERE w.sku = s.sku);

INSERT INTO stock (sku, name, quantity)
SELECT w.sku, w.name, w.quantity
FROM wanted_stock w
WHERE NOT EXISTS (SELECT FROM stock s WHERE s.sku = w.sku)
ORDER BY w.n;

COMMIT;

-- Fresh statistics, so the planner uses stock_sku_idx from the first request on.
ANALYZE stock;
