using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Payment;

/// <summary>The payment service's own table: one decision per order.</summary>
public static class PaymentTables
{
    public static Migration Payments(int version, string schema) => new(version, "payments", $"""
        CREATE TABLE IF NOT EXISTS {SqlIdentifier.Validate(schema, nameof(schema))}.payments (
            order_id    uuid        PRIMARY KEY,
            customer_id text        NOT NULL,
            amount      numeric     NOT NULL,
            charged     boolean     NOT NULL,
            reason      text        NULL,
            decided_at  timestamptz NOT NULL);
        """);
}
