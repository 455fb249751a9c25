using Npgsql;

namespace SagaDemo.Persistence.GroupCommit;

/// <summary>
/// One statement of a <see cref="WriteSet"/>, run later inside a shared transaction. <paramref name="ExpectedRows"/>
/// (when set) is how many rows it must affect, or the unit of work lost a race; <paramref name="Conflict"/> turns that
/// loss, or the PostgreSQL error the statement raised, into the exception its owner sees. <paramref name="Committed"/>
/// (when set) learns the rows the statement affected, once they are committed and only then: what must be counted only
/// for a durable change (a metric) goes there.
/// </summary>
public sealed record PendingWrite(string Sql, IReadOnlyList<NpgsqlParameter> Parameters, int? ExpectedRows,
    Func<PostgresException?, Exception> Conflict, Action<int>? Committed = null)
{
    /// <summary>A fresh command for one attempt: a parameter belongs to one collection, and a failed group is run again.</summary>
    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var parameter in Parameters)
            command.Parameters.Add(parameter.Clone());
        return command;
    }
}
