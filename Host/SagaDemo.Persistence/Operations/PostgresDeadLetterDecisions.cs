using Npgsql;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Persistence.Operations;

/// <summary>Decisions in <c>&lt;schema&gt;.dead_letter_decisions</c>; the primary key makes the first one win.</summary>
public sealed class PostgresDeadLetterDecisions(NpgsqlDataSource dataSource, string schema = "operations")
    : SchemaStore(dataSource, schema), IDeadLetterDecisions
{
    const string Columns = "topic, part, record, action, decided_by, decided_at, replayed_to";

    public Task<DeadLetterDecision> DecideAsync(DeadLetterDecision decision, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            // DO UPDATE with no change, so RETURNING yields the row whether this insert or an earlier one wrote it.
            await using var command = Command(connection, transaction, $"""
                INSERT INTO {Schema}.dead_letter_decisions ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, NULL)
                ON CONFLICT (topic, part, record) DO UPDATE SET topic = EXCLUDED.topic
                RETURNING {Columns}
                """, decision.Record.Topic, decision.Record.Partition, decision.Record.Offset, decision.Action, decision.By, decision.At);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return Read(reader);
        }, cancellationToken);

    public Task SetReplayedToAsync(DeadLetterRef record, string replayedTo, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {Schema}.dead_letter_decisions SET replayed_to = $4 WHERE topic = $1 AND part = $2 AND record = $3",
            record, cancellationToken, replayedTo);

    public Task WithdrawAsync(DeadLetterRef record, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM {Schema}.dead_letter_decisions WHERE topic = $1 AND part = $2 AND record = $3",
            record, cancellationToken);

    public Task<IReadOnlyList<DeadLetterDecision>> ListAsync(string topic, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<DeadLetterDecision>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                $"SELECT {Columns} FROM {Schema}.dead_letter_decisions WHERE topic = $1", topic);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var decisions = new List<DeadLetterDecision>();
            while (await reader.ReadAsync(cancellationToken))
                decisions.Add(Read(reader));
            return decisions;
        }, cancellationToken);

    Task ExecuteAsync(string sql, DeadLetterRef record, CancellationToken cancellationToken, params object[] more) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, sql, [record.Topic, record.Partition, record.Offset, .. more]);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    static DeadLetterDecision Read(NpgsqlDataReader reader) => new(
        new DeadLetterRef(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)),
        reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetString(6));
}
