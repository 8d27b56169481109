-- Orders as order-service persists them. idempotency_key is UNIQUE so a retried POST finds the
-- order it already created; request_hash tells a true retry from a different body under the
-- same key.

CREATE TABLE orders (
  id              uuid PRIMARY KEY,
  customer_id     text NOT NULL,
  customer_tier   text NOT NULL,
  status          text NOT NULL,
  idempotency_key text UNIQUE,
  request_hash    text,
  trace_id        text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
  order_id uuid    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line     integer NOT NULL,
  sku      text    NOT NULL,
  qty      integer NOT NULL CHECK (qty > 0),
  PRIMARY KEY (order_id, line)
);
