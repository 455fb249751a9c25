using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Every operation the suite started, with its final state, checked against what the services hold in
/// PostgreSQL and what statistics report. An operation is lost when it never reached a final state or its
/// effect is missing (a completed user without its row, a completed order not shipped or not charged); it is
/// duplicated when applied twice (two user rows, a second operation for one idempotency key) or applied although
/// it failed (a user row or a charge for a failed operation). Stock must account for exactly the completed
/// orders: anything more that left the shelf is oversold.
/// </summary>
public sealed class Ledger(IReadOnlyDictionary<string, (int OnHand, int Reserved)> initialStock)
{
    static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(15);

    readonly Dictionary<Guid, (TrackedOperation Operation, string? Final, string? Error)> _all = new();
    int _duplicatedSoFar;
    int _oversoldSoFar;

    public int ApiOperations => _all.Values.Count(o => o.Operation.ViaApi);

    /// <param name="final">completed, failed, or null when it never ended.</param>
    /// <param name="error">The failed operation's error, as the client sees it (null when the case cannot tell).</param>
    public void Record(TrackedOperation operation, string? final, string? error = null) => _all[operation.Id] = (operation, final, error);

    public string? FinalOf(Guid id) => _all.TryGetValue(id, out var entry) ? entry.Final : null;

    /// <param name="caseOperations">The case's operations (already recorded); the figures count these.</param>
    /// <param name="requested">Operations the case tried to start; fewer accepted is a problem of its own.</param>
    public async Task<CaseResult> CheckAsync(FaultSystem system, string @case, IReadOnlyList<TrackedOperation> caseOperations,
        int requested, IEnumerable<string>? caseProblems = null, string? detail = null)
    {
        var problems = new List<string>(caseProblems ?? []);
        if (caseOperations.Count < requested)
            problems.Add($"only {caseOperations.Count} of {requested} operations were accepted");
        var state = await StateAsync(system.Database);

        var lost = 0;
        foreach (var op in caseOperations)
        {
            var final = _all[op.Id].Final;
            var missing = final switch
            {
                null => "never reached a final state",
                "completed" when op.Kind == OperationKind.User && state.UserRows.GetValueOrDefault(op.Id) == 0 => "completed without its user row",
                "completed" when op.Kind == OperationKind.Order && state.Phases.GetValueOrDefault(op.Id) != "shipped" =>
                    $"completed but its reservation is '{state.Phases.GetValueOrDefault(op.Id)}', not shipped",
                "completed" when op.Kind == OperationKind.Order && state.Charged.GetValueOrDefault(op.Id) != true => "completed without a charge",
                _ => null,
            };
            if (missing is not null)
            {
                lost++;
                problems.Add($"{op.Kind} operation {op.Id} {missing}");
            }
            // Failing is fine when the business rules say so; failing because of the fault is not.
            if (final == "failed" && _all[op.Id].Error is { } error && !Workload.IsBusinessFailure(op.Kind, error))
                problems.Add($"{op.Kind} operation {op.Id} failed for a reason the load does not provoke: {error}");
        }

        var duplicated = Duplicates(state, problems);
        var oversold = Oversold(state, problems);
        await CheckStatisticsAsync(system, problems);

        var result = new CaseResult(@case, caseOperations.Count,
            caseOperations.Count(o => _all[o.Id].Final == "completed"), caseOperations.Count(o => _all[o.Id].Final == "failed"),
            lost, duplicated - _duplicatedSoFar, oversold - _oversoldSoFar, problems, detail);
        _duplicatedSoFar = duplicated;
        _oversoldSoFar = oversold;
        return result;
    }

    int Duplicates(SystemState state, List<string> problems)
    {
        var duplicated = 0;
        foreach (var (operationId, rows) in state.UserRows)
        {
            var final = _all.TryGetValue(operationId, out var entry) ? entry.Final : "unknown";
            var allowed = final == "completed" ? 1 : 0;
            if (rows > allowed)
            {
                duplicated += (int)rows - allowed;
                problems.Add($"user operation {operationId} ({final}) has {rows} user rows");
            }
        }
        foreach (var (orderId, charged) in state.Charged)
        {
            var final = _all.TryGetValue(orderId, out var entry) ? entry.Final ?? "still pending" : "unknown";
            // A pending order may be charged already: it is reported lost, not duplicated.
            if (charged && final is not ("completed" or "still pending"))
            {
                duplicated++;
                problems.Add($"order {orderId} ({final}) was charged");
            }
        }
        if (state.OperationRows > ApiOperations)
        {
            duplicated += (int)(state.OperationRows - ApiOperations);
            problems.Add($"{state.OperationRows} operations stored for {ApiOperations} accepted requests");
        }
        return duplicated;
    }

    int Oversold(SystemState state, List<string> problems)
    {
        var oversold = 0;
        var orders = _all.Values.Where(o => o.Operation.Kind == OperationKind.Order).ToList();
        var completedOrders = orders.Where(o => o.Final == "completed").ToList();
        // Orders still pending (reported lost) that shipped already: their units left the shelf, but not oversold.
        var pendingShipped = orders.Where(o => o.Final is null && state.Phases.GetValueOrDefault(o.Operation.Id) == "shipped").ToList();
        foreach (var (sku, initial) in initialStock)
        {
            var now = state.Stock.GetValueOrDefault(sku);
            var sold = completedOrders.Sum(o => o.Operation.Items.GetValueOrDefault(sku));
            var left = initial.OnHand - now.OnHand;
            var shippedPending = pendingShipped.Sum(o => o.Operation.Items.GetValueOrDefault(sku));
            var over = Math.Max(0, left - sold - shippedPending) + Math.Max(0, -now.OnHand) + Math.Max(0, sold - initial.OnHand);
            if (over > 0)
                problems.Add($"{sku}: {left} left the shelf for {sold} sold from {initial.OnHand} on hand (now {now.OnHand})");
            else if (left < sold)
                problems.Add($"{sku}: {sold} sold but only {left} left the shelf");
            if (now.Reserved != 0)
                problems.Add($"{sku}: {now.Reserved} still reserved with nothing in progress");
            oversold += over;
        }
        return oversold;
    }

    /// <summary>Statistics count each order once, by its final state.</summary>
    async Task CheckStatisticsAsync(FaultSystem system, List<string> problems)
    {
        var orders = _all.Values.Where(o => o.Operation.Kind == OperationKind.Order).ToList();
        var expected = (Submitted: orders.Count, Completed: orders.Count(o => o.Final == "completed"), Cancelled: orders.Count(o => o.Final == "failed"));
        using var statistics = system["statistics"].CreateClient();
        var deadline = DateTime.UtcNow + StatisticsTimeout;
        while (true)
        {
            var totals = await statistics.GetFromJsonAsync<JsonElement>("/statistics");
            var actual = (Submitted: totals.GetProperty("submitted").GetInt32(), Completed: totals.GetProperty("completed").GetInt32(),
                Cancelled: totals.GetProperty("cancelled").GetInt32());
            if (actual == expected)
                return;
            if (DateTime.UtcNow > deadline)
            {
                problems.Add($"statistics {totals} != orders: {expected.Submitted} submitted, {expected.Completed} completed, {expected.Cancelled} cancelled");
                return;
            }
            await Task.Delay(200);
        }
    }

    sealed record SystemState(Dictionary<Guid, long> UserRows, Dictionary<string, (int OnHand, int Reserved)> Stock,
        Dictionary<Guid, string> Phases, Dictionary<Guid, bool> Charged, long OperationRows);

    static async Task<SystemState> StateAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var userRows = await ReadAsync(connection, "SELECT operation_id, count(*) FROM users.users GROUP BY operation_id",
            r => (r.GetGuid(0), r.GetInt64(1)));
        var stock = await ReadAsync(connection, "SELECT sku, on_hand, reserved FROM warehouse.stock",
            r => (r.GetString(0), (r.GetInt32(1), r.GetInt32(2))));
        var phases = await ReadAsync(connection, "SELECT order_id, phase FROM warehouse.reservations", r => (r.GetGuid(0), r.GetString(1)));
        var charged = await ReadAsync(connection, "SELECT order_id, charged FROM payment.payments", r => (r.GetGuid(0), r.GetBoolean(1)));
        await using var count = new NpgsqlCommand("SELECT count(*) FROM operations.operations", connection);
        return new SystemState(userRows, stock, phases, charged, (long)(await count.ExecuteScalarAsync())!);
    }

    static async Task<Dictionary<TKey, TValue>> ReadAsync<TKey, TValue>(NpgsqlConnection connection, string sql,
        Func<NpgsqlDataReader, (TKey, TValue)> row) where TKey : notnull
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<TKey, TValue>();
        while (await reader.ReadAsync())
        {
            var (key, value) = row(reader);
            rows[key] = value;
        }
        return rows;
    }
}
