using Npgsql;
using NpgsqlTypes;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Payment;

namespace SagaDemo.Persistence.Payment;

/// <summary>Payment decisions in <c>&lt;schema&gt;.payments</c>; the first decision per order is kept.</summary>
public sealed class PostgresPaymentStore(NpgsqlDataSource dataSource, string schema = "payment") : SchemaStore(dataSource, schema), IPaymentStore
{
    public Task<PaymentRecord> RecordOnceAsync(PaymentRecord record, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            // A concurrent insert of the same order makes this one wait for it, then do nothing.
            await using (var insert = Command(connection, transaction, $"""
                             INSERT INTO {Schema}.payments (order_id, customer_id, amount, charged, reason, decided_at)
                             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING
                             """, record.OrderId, record.CustomerId, record.Amount, record.Charged,
                             new NpgsqlParameter { Value = (object?)record.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                             record.DecidedAt))
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                    return record;

            // A new statement, so (read committed) it sees the row the winner committed.
            await using var select = Command(connection, transaction, $"""
                SELECT order_id, customer_id, amount, charged, reason, decided_at FROM {Schema}.payments WHERE order_id = $1
                """, record.OrderId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                throw new InvalidOperationException($"Payment of order {record.OrderId} vanished.");
            return new PaymentRecord(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
        }, cancellationToken);
}
