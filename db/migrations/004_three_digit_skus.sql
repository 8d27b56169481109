-- SKUs are numbered with at least three digits, as the lesson spells them (SKU-001, SKU-007);
-- they used to have at least six (SKU-000001). A database seeded before keeps its stock and its
-- reservations in flight: each old name becomes the new name of the same number. Orders already
-- stored keep the names they were placed with.
--
-- No collision is possible: an old name has six or more digits, and a new name has six or more
-- digits only when its number is at least 100000, where both spellings are the same string.

CREATE FUNCTION pg_temp.three_digit_sku(sku text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN sku ~ '^SKU-0[0-9]{5,}$'
      THEN 'SKU-' || lpad(ltrim(substr(sku, 5), '0'), greatest(3, length(ltrim(substr(sku, 5), '0'))), '0')
    ELSE sku
  END
$$;

UPDATE stock SET sku = pg_temp.three_digit_sku(sku) WHERE sku ~ '^SKU-0[0-9]{5,}$';

UPDATE reservations
SET skus = ARRAY(SELECT pg_temp.three_digit_sku(line.sku)
                 FROM unnest(skus) WITH ORDINALITY AS line(sku, n) ORDER BY line.n)
WHERE EXISTS (SELECT FROM unnest(skus) AS line(sku) WHERE line.sku ~ '^SKU-0[0-9]{5,}$');
