using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SagaDemo.Contracts.Orders;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Persistence.Warehouse;

/// <summary>
/// Inventory in <c>&lt;schema&gt;.stock</c> and <c>.reservations</c>. Each change is one transaction:
/// the order's reservation row is claimed first (a concurrent duplicate waits on its key and then sees
/// the first answer), the stock rows are locked in SKU order (no deadlocks between orders), checked and
/// updated together. The configured catalog seeds SKUs that are not in the table yet; stock already
/// there is the truth and is never reset.
/// </summary>
public sealed class PostgresInventoryStore(NpgsqlDataSource dataSource, IOptions<WarehouseOptions> options, string schema = "warehouse")
    : SchemaStore(dataSource, schema), IInventoryStore
{
    static class Phase
    {
        public const string Claimed = "claimed";
        public const string Reserved = "reserved";
        public const string Unavailable = "unavailable";
        public const string Released = "released";
        public const string Shipped = "shipped";
    }

    readonly SemaphoreSlim _seedLock = new(1, 1);
    volatile bool _seeded;

    public async Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyList<OrderItem> items, CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        // The same SKU may appear on several lines; stock is checked against their sum (first-appearance order).
        var lines = items.GroupBy(i => i.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity));
        return await InTransactionAsync(async (connection, transaction) =>
        {
            await using (var claim = Command(connection, transaction, $"""
                             INSERT INTO {Schema}.reservations (order_id, phase, lines, reserved, amount)
                             VALUES ($1, '{Phase.Claimed}', $2, false, 0) ON CONFLICT (order_id) DO NOTHING
                             """, orderId, LinesParameter(lines)))
                if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
                    return await ExistingOutcomeAsync(connection, transaction, orderId, cancellationToken);

            var available = await LockStockAsync(connection, transaction, lines.Keys, cancellationToken);
            var shortage = Shortage(lines, available);
            var outcome = shortage is null
                ? new ReservationOutcome(true, lines.Sum(l => available[l.Key].UnitPrice * l.Value), null)
                : new ReservationOutcome(false, 0m, shortage);
            if (outcome.Reserved)
                await AdjustStockAsync(connection, transaction, lines, reservedBy: 1, onHandBy: 0, cancellationToken);

            await using var record = Command(connection, transaction, $"""
                UPDATE {Schema}.reservations SET phase = $2, reserved = $3, amount = $4, reason = $5, updated_at = now()
                WHERE order_id = $1
                """, orderId, outcome.Reserved ? Phase.Reserved : Phase.Unavailable, outcome.Reserved, outcome.Amount,
                new NpgsqlParameter { Value = (object?)outcome.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await record.ExecuteNonQueryAsync(cancellationToken);
            return outcome;
        }, cancellationToken);
    }

    public Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await MoveAsync(connection, transaction, orderId, Phase.Released, cancellationToken) is not { } lines)
                return; // never reserved, unavailable, already released or shipped: nothing to give back
            await LockStockAsync(connection, transaction, lines.Keys, cancellationToken);
            await AdjustStockAsync(connection, transaction, lines, reservedBy: -1, onHandBy: 0, cancellationToken);
        }, cancellationToken);

    public Task ShipAsync(Guid orderId, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            if (await MoveAsync(connection, transaction, orderId, Phase.Shipped, cancellationToken) is { } lines)
            {
                await LockStockAsync(connection, transaction, lines.Keys, cancellationToken);
                await AdjustStockAsync(connection, transaction, lines, reservedBy: -1, onHandBy: -1, cancellationToken);
                return;
            }
            // Not reserved (any more): shipping again is fine, anything else has nothing to ship.
            await using var command = Command(connection, transaction, $"SELECT phase FROM {Schema}.reservations WHERE order_id = $1", orderId);
            if (await command.ExecuteScalarAsync(cancellationToken) is not Phase.Shipped)
                throw new OrderNotReservedException(orderId);
        }, cancellationToken);

    public async Task<IReadOnlyList<StockLevel>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        return await InTransactionAsync<IReadOnlyList<StockLevel>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                $"""SELECT sku, name, unit_price, on_hand, reserved FROM {Schema}.stock ORDER BY sku COLLATE "C" """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var levels = new List<StockLevel>();
            while (await reader.ReadAsync(cancellationToken))
                levels.Add(new StockLevel(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt32(3), reader.GetInt32(4)));
            return levels;
        }, cancellationToken);
    }

    /// <summary>Moves a reserved order to <paramref name="phase"/>; returns its lines, or null when it was not reserved.</summary>
    async Task<Dictionary<string, int>?> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId,
        string phase, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            UPDATE {Schema}.reservations SET phase = $2, updated_at = now()
            WHERE order_id = $1 AND phase = '{Phase.Reserved}' RETURNING lines::text
            """, orderId, phase);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<Dictionary<string, int>>(json, PersistenceJson.Options)
            : null;
    }

    async Task<ReservationOutcome> ExistingOutcomeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            $"SELECT reserved, amount, reason FROM {Schema}.reservations WHERE order_id = $1", orderId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException($"Reservation of order {orderId} vanished.");
        return new ReservationOutcome(reader.GetBoolean(0), reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    sealed record Available(decimal UnitPrice, int Quantity);

    async Task<Dictionary<string, Available>> LockStockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<string> skus, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT sku, unit_price, on_hand - reserved FROM {Schema}.stock
            WHERE sku = ANY($1) ORDER BY sku COLLATE "C" FOR UPDATE
            """, new NpgsqlParameter { Value = skus.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var available = new Dictionary<string, Available>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            available[reader.GetString(0)] = new Available(reader.GetDecimal(1), reader.GetInt32(2));
        return available;
    }

    static string? Shortage(Dictionary<string, int> lines, Dictionary<string, Available> available)
    {
        foreach (var (sku, quantity) in lines)
        {
            if (!available.TryGetValue(sku, out var stock))
                return $"unknown SKU '{sku}'";
            if (stock.Quantity < quantity)
                return $"SKU '{sku}': {quantity} requested, {stock.Quantity} available";
        }
        return null;
    }

    /// <summary>Adds the line quantities times the factors to reserved and on-hand; the caller locked the rows (<see cref="LockStockAsync"/>).</summary>
    async Task AdjustStockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<string, int> lines,
        int reservedBy, int onHandBy, CancellationToken cancellationToken)
    {
        var ordered = lines.ToArray();
        await using var command = Command(connection, transaction, $"""
            UPDATE {Schema}.stock AS s SET reserved = s.reserved + $3 * l.quantity, on_hand = s.on_hand + $4 * l.quantity
            FROM unnest($1::text[], $2::int[]) AS l(sku, quantity)
            WHERE s.sku = l.sku
            """, ordered.Select(l => l.Key).ToArray(), ordered.Select(l => l.Value).ToArray(), reservedBy, onHandBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    async Task EnsureSeededAsync(CancellationToken cancellationToken)
    {
        if (_seeded)
            return;
        await _seedLock.WaitAsync(cancellationToken);
        try
        {
            if (_seeded)
                return;
            // Its own transaction, never a consumer's: a rolled-back seed must not count as done.
            var catalog = options.Value.EffectiveCatalog;
            await using var command = DataSource.CreateCommand($"""
                INSERT INTO {Schema}.stock (sku, name, unit_price, on_hand)
                SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::int[])
                ON CONFLICT (sku) DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = catalog.Select(i => i.Sku).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = catalog.Select(i => i.Name).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = catalog.Select(i => i.UnitPrice).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = catalog.Select(i => i.Stock).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
            _seeded = true;
        }
        finally
        {
            _seedLock.Release();
        }
    }

    static NpgsqlParameter LinesParameter(Dictionary<string, int> lines) =>
        new() { Value = JsonSerializer.Serialize(lines, PersistenceJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb };
}
