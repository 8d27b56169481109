-- Inventory: what can be sold, and the reservations that hold stock for orders in flight.
-- Applied once by scripts/postgres.sh migrate, inside a transaction it opens (no BEGIN here).

CREATE TABLE stock (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku      text    NOT NULL,
  name     text    NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 0),
  reserved integer NOT NULL DEFAULT 0,
  CHECK (reserved >= 0 AND reserved <= quantity)
);

-- Every reservation looks stock up by SKU through this index. The "slow index scan" fault makes
-- the inventory query bypass it, which is the regression workshop attendees find in the trace.
CREATE UNIQUE INDEX stock_sku_idx ON stock (sku);

CREATE TABLE reservations (
  id         uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation_items (
  reservation_id uuid    NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  sku            text    NOT NULL,
  qty            integer NOT NULL CHECK (qty > 0),
  PRIMARY KEY (reservation_id, sku)
);
