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
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock ORDER BY id LIMIT 1"), "SKU-001");
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock ORDER BY id DESC LIMIT 1"), "SKU-100");
  EXPECT_EQ(postgres.QueryValue("SELECT name FROM stock WHERE sku = 'SKU-007'"), "Item 7");
  EXPECT_EQ(postgres.QueryValue("SELECT quantity FROM stock WHERE sku = 'SKU-100'"),
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
            "001_inventory.sql,002_orders.sql,003_reservation_lines.sql,004_three_digit_skus.sql");
  // ANALYZE ran: the planner knows the table's size.
  EXPECT_EQ(postgres.QueryValue("SELECT reltuples FROM pg_class WHERE relname = 'stock'"), "100");
  // And VACUUM: autovacuum has nothing left to do on the seeded rows.
  EXPECT_EQ(postgres.QueryValue(
                "SELECT vacuum_count > 0 FROM pg_stat_user_tables WHERE relname = 'stock'"),
            "t");
}

TEST(DbSeed, RerunningMigrateChangesNothing) {
  PostgresInstance postgres(100);
  postgres.Exec("UPDATE stock SET reserved = 3 WHERE sku = 'SKU-005'");
  const auto migrations_before =
      postgres.QueryValue("SELECT string_agg(applied_at::text, ',') FROM schema_migrations");
  const auto sequence_before = postgres.QueryValue("SELECT last_value FROM stock_id_seq");

  postgres.Migrate(100);
  postgres.Stop();
  postgres.Start();  // a restart (what `./hotorder up` does) keeps reservations too
  postgres.Migrate(100);

  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "100");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-005'"), "3");
  EXPECT_EQ(postgres.QueryValue("SELECT string_agg(applied_at::text, ',') FROM schema_migrations"),
            migrations_before);
  // No identity values were drawn for rows that already existed.
  EXPECT_EQ(postgres.QueryValue("SELECT last_value FROM stock_id_seq"), sequence_before);
}

TEST(DbSeed, ADifferentStockRowsResizesTheTable) {
  PostgresInstance postgres(100);
  postgres.Exec("UPDATE stock SET reserved = 2 WHERE sku = 'SKU-010'");

  postgres.Migrate(150);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "150");
  EXPECT_EQ(postgres.QueryValue("SELECT max(sku) FROM stock"), "SKU-150");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-010'"), "2");

  postgres.Migrate(20);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "20");
  EXPECT_EQ(postgres.QueryValue("SELECT max(sku) FROM stock"), "SKU-020");
  EXPECT_EQ(postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-010'"), "2");
}

TEST(DbSeed, NumbersPastNineHundredNinetyNineKeepEveryDigit) {
  PostgresInstance postgres(1000);
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock WHERE name = 'Item 999'"), "SKU-999");
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock WHERE name = 'Item 1000'"), "SKU-1000");
}

TEST(DbSeed, MigrationFourRenamesSixDigitSkusInStockAndReservations) {
  PostgresInstance postgres(100);
  // A database as the six-digit seed left it, with a reservation in flight.
  postgres.Exec(
      "UPDATE stock SET sku = 'SKU-' || lpad(substr(sku, 5), 6, '0');"
      "INSERT INTO reservations (id, skus, quantities) VALUES "
      "  ('0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e', '{SKU-000007,SKU-000042}', '{1,2}');"
      "DELETE FROM schema_migrations WHERE name = '004_three_digit_skus.sql'");
  ASSERT_EQ(postgres.QueryValue("SELECT sku FROM stock WHERE name = 'Item 7'"), "SKU-000007");

  postgres.Migrate(100);
  EXPECT_EQ(postgres.QueryValue("SELECT sku FROM stock WHERE name = 'Item 7'"), "SKU-007");
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "100");
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock WHERE sku ~ '^SKU-[0-9]{3}$'"), "100");
  EXPECT_EQ(postgres.QueryValue("SELECT skus::text FROM reservations"), "{SKU-007,SKU-042}");
}

TEST(DbSeed, RefusesToAddSkusWhileTheUniqueIndexIsMissing) {
  PostgresInstance postgres(100);
  postgres.Exec("DROP INDEX stock_sku_idx");  // what the missing-index fault does
  postgres.Migrate(100);  // adds nothing: fine
  try {
    postgres.Migrate(120);
    ADD_FAILURE() << "the seed added SKUs without the unique index";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("seeding refused"), std::string::npos) << error.what();
  }
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "100");

  postgres.Exec("CREATE INDEX stock_sku_idx ON stock (sku)");  // the lesson's, not unique
  EXPECT_ANY_THROW(postgres.Migrate(120));
  postgres.Exec("DROP INDEX stock_sku_idx; CREATE UNIQUE INDEX stock_sku_idx ON stock (sku)");
  postgres.Migrate(120);
  EXPECT_EQ(postgres.QueryValue("SELECT count(*) FROM stock"), "120");
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
