using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Warehouse;

/// <summary>The warehouse service's own tables: stock per SKU and one reservation per order.</summary>
public static class WarehouseTables
{
    public static Migration StockAndReservations(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "stock and reservations", $"""
            CREATE TABLE IF NOT EXISTS {s}.stock (
                sku        text    PRIMARY KEY,
                name       text    NOT NULL,
                unit_price numeric NOT NULL,
                on_hand    integer NOT NULL,
                reserved   integer NOT NULL DEFAULT 0,
                -- The last line of defence against overselling, whatever the code above does.
                CONSTRAINT stock_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand));
            CREATE TABLE IF NOT EXISTS {s}.reservations (
                order_id   uuid        PRIMARY KEY,
                phase      text        NOT NULL,
                lines      jsonb       NOT NULL,
                reserved   boolean     NOT NULL,
                amount     numeric     NOT NULL,
                reason     text        NULL,
                updated_at timestamptz NOT NULL DEFAULT now());
            """);
    }
}
