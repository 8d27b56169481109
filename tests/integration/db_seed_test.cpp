// The schema and seed as scripts/postgres.sh applies them (db/migrations, db/seed.sql).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <pqxx/pqxx>

#include "support/postgres_instance.hpp"

namespace hotorder::test {
namespace {

TEST(DbSeed, CreatesTheSchemaAndSeedsStock) {
  PostgresInstance postgres(100);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "100");
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock ORDER BY id LIMIT 1"), "SKU-000001");
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock ORDER BY id DESC LIMIT 1"), "SKU-000100");
  EXPECT_EQ(postgres.QueryValue("SELECT name FROM stock WHERE sku = 'SKU-000007'"), "Item 7");
  EXPECT_EQ(postgres.QueryValue("SELECT quantity FROM stock WHERE sku = 'SKU-000100'"),
            std::to_string(50 + (100 * 7919) % 951));
  EXPECT_EQ(postgres.QueryValue("SELECT sum(reserved) FROM stock"), "0");
  EXPECT_EQ(postgres.QueryValue("SELECT indexdef FROM pg_indexes WHERE indexname = 'stock_sku_idx'"),
            "CREATE UNIQUE INDEX stock_sku_idx ON public.stock USING btree (sku)");
  for (const char* table : {"reservations", "orders", "order_items"}) {
    EXPECT_EQ(postgres.QueryValue(std::string("SELECT to_regclass('") + table + "') IS NOT NULL"),
              "t")
        << table;
  }
  EXPECT_EQ(postgres.QueryValue("SELECT string_agg(name, ',' ORDER BY name) FROM schema_migrations"),
            "001_inventory.sql,002_orders.sql,003_reservation_lines.sql");
  // ANALYZE ran: the planner knows the table's size.
  EXPECT_EQ(postgres.QueryValue("SELECT reltuples FROM pg_class WHERE relname = 'stock'"), "100");
}

TEST(DbSeed, RerunningMigrateChangesNothing) {
  PostgresInstance postgres(100);
  postgres.Exec("UPDATE stock SET reserved = 3 WHERE sku = 'SKU-000005'");
  const auto migrations_before =
      postgres.QueryValue("SELECT string_agg(applied_at::text, ',') FROM schema_migrations");
  const auto sequence_before = postgres.QueryValue("SELECT last_value FROM stock_id_seq");

  postgres.Migrate(100);
  postgres.Stop();
  postgres.Start();  // a restart (what `./hotorder up` does) keeps reservations too
  postgres.Migrate(100);

  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "100");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-000005'"), "3");
  EXPECT_EQ(postgres.QueryValue("SELECT string_agg(applied_at::text, ',') FROM schema_migrations"),
            migrations_before);
  // No identity values were drawn for rows that already existed.
  EXPECT_EQ(postgres.QueryValue("SELECT last_value FROM stock_id_seq"), sequence_before);
}

TEST(DbSeed, ADifferentStockRowsResizesTheTable) {
  PostgresInstance postgres(100);
  postgres.Exec("UPDATE stock SET reserved = 2 WHERE sku = 'SKU-000010'");

  postgres.Migrate(150);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "150");
  EXPECT_EQ(postgres.QueryValue("SELECT max(sku) FROM stock"), "SKU-000150");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-000010'"), "2");

  postgres.Migrate(20);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "20");
  EXPECT_EQ(postgres.QueryValue("SELECT max(sku) FROM stock"), "SKU-000020");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-000010'"), "2");
}

TEST(PostgresInstance, StopsAndRemovesItsClusterAtDestruction) {
  std::filesystem::path dir;
  std::string url;
  {
    PostgresInstance postgres(1);
    dir = postgres.data_dir();
    url = postgres.url();
    EXPECT_TRUE(std::filesystem::exists(dir / "pgdata" / "PG_VERSION"));
    EXPECT_EQ(postgres.QueryValue("SELECT current_user"), "hotorder");
    EXPECT_EQ(postgres.QueryValue("SELECT 1 WHERE false"), "");
    EXPECT_EQ(postgres.QueryValue("SHOW fsync"), "off");
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_ANY_THROW(pqxx::connection{url});
}

}  // namespace
}  // namespace hotorder::test
