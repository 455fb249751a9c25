using MassTransit;
using Npgsql;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Sagas;

/// <summary>How the saga repository stores <typeparamref name="TSaga"/>; see <see cref="PostgresSagaRepositoryRegistration"/>.</summary>
public sealed class PostgresSagaRepositoryOptions<TSaga>
    where TSaga : class, ISagaVersion
{
    /// <summary>The service's schema; it must have been migrated (<see cref="Schema.SchemaMigrator"/>).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>The instance table, created by <see cref="Schema.StandardMigrations.SagaTable"/>.</summary>
    public string Table { get; set; } = typeof(TSaga).Name.ToLowerInvariant();

    /// <summary>
    /// Projects the instance's deadline into the indexed <c>deadline</c> column, for
    /// <see cref="ISagaDeadlineQuery{TSaga}"/>. Return null when no deadline is pending.
    /// </summary>
    public Func<TSaga, DateTimeOffset?>? Deadline { get; set; }

    /// <summary>Projects the state name into the <c>current_state</c> column; by default the string property CurrentState.</summary>
    public Func<TSaga, string?>? CurrentState { get; set; }

    /// <summary>
    /// Record each consumed message id in <c>&lt;schema&gt;.inbox</c> in the saga's transaction and
    /// acknowledge a redelivered id without running the saga again.
    /// </summary>
    public bool UseInbox { get; set; }

    /// <summary>Consumer name in the inbox; defaults to <see cref="Table"/>.</summary>
    public string? InboxConsumer { get; set; }

    /// <summary>
    /// Write what the saga publishes or sends to <c>&lt;schema&gt;.outbox</c> in the saga's transaction
    /// instead of handing it to the transport; an <see cref="OutboxRelay"/> delivers it after commit.
    /// </summary>
    public bool UseOutbox { get; set; }

    /// <summary>Outbox destination of a published message type (its Kafka topic: <see cref="MessageDestinations.TopicOf"/>); required with <see cref="UseOutbox"/>.</summary>
    public Func<Type, string>? Destination { get; set; }

    /// <summary>Optimistic (default): concurrent events race, the loser retries. Pessimistic: the load locks the row.</summary>
    public SagaConcurrencyMode ConcurrencyMode { get; set; } = SagaConcurrencyMode.Optimistic;

    /// <summary>
    /// Write each message's changes through the schema's <see cref="GroupCommit.GroupCommitter"/>, in one transaction with
    /// other messages finished at the same time (default), instead of a transaction per message. Applies to
    /// <see cref="SagaConcurrencyMode.Optimistic"/> only: a pessimistic load holds its row lock in its own transaction.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Connection string; when null the repository uses the <see cref="NpgsqlDataSource"/> registered in DI.</summary>
    public string? ConnectionString { get; set; }

    internal string EffectiveInboxConsumer => InboxConsumer ?? Table;
}

public enum SagaConcurrencyMode
{
    /// <summary>Update checks the version read; a lost race throws <see cref="SagaConcurrencyException"/> for the retry policy.</summary>
    Optimistic,

    /// <summary>Load uses SELECT ... FOR UPDATE, so events for one instance queue instead of conflicting (the version is still checked).</summary>
    Pessimistic,
}
