using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SagaDemo.Persistence.Inbox;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.GroupCommit;

/// <summary>
/// Group commit for one schema: the <see cref="WriteSet"/>s that lanes finish at about the same time are written in
/// one transaction, as one batch of statements (one round trip), with one NOTIFY for all their outbox rows. Each caller
/// learns its own outcome only after that commit, so a consumed record's offset is still stored only after what it
/// changed is durable. A set that loses a race (a version that moved, a row created concurrently) is taken out, its
/// caller gets the conflict to retry, and the rest of the group is written again without it; a set whose inbox entry
/// a concurrent delivery committed first is answered as a duplicate (nothing applied).
/// </summary>
/// <remarks>
/// Groups form by themselves: while <see cref="GroupCommitterOptions.Writers"/> groups are being written, what arrives
/// waits and goes into the next one, so an idle service commits each set at once and a busy one many per transaction.
/// </remarks>
public sealed class GroupCommitter : IAsyncDisposable
{
    readonly NpgsqlDataSource _dataSource;
    readonly GroupCommitterOptions _options;
    readonly ILogger _logger;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    readonly Task[] _writers;

    public GroupCommitter(NpgsqlDataSource dataSource, string schema, GroupCommitterOptions? options = null, ILogger? logger = null)
    {
        _dataSource = dataSource;
        Schema = SqlIdentifier.Validate(schema, nameof(schema));
        _options = options ?? new GroupCommitterOptions();
        _logger = logger ?? NullLogger.Instance;
        _writers = Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriteGroupsAsync)).ToArray();
    }

    public string Schema { get; }

    /// <summary>
    /// Commits <paramref name="set"/> with whatever else is pending. True: committed. False: its inbox entry was already
    /// there (a redelivery another delivery applied first), so nothing of it was written. Throws the conflict of a set
    /// that lost a race, or the database error; then nothing of it was written either (or, if the connection broke during
    /// COMMIT, possibly all of it: the inbox skips the redelivery). Cancelling stops the wait, not the commit.
    /// </summary>
    public Task<bool> CommitAsync(WriteSet set, CancellationToken cancellationToken = default)
    {
        if (set.Schema != Schema)
            throw new ArgumentException($"The write set is for schema {set.Schema}, this committer for {Schema}.", nameof(set));
        var pending = new Pending(set);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(GroupCommitter));
        return pending.Outcome.Task.WaitAsync(cancellationToken);
    }

    async Task WriteGroupsAsync()
    {
        var group = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _options.MaxGroupSize && _queue.Reader.TryRead(out var pending))
                group.Add(pending);
            if (group.Count == 0)
                continue;
            // The group's commands are traced as the first member's: an idle service's commit (a group of one) then
            // shows under the message that caused it, and a busy one's under one of the messages it carries.
            Activity.Current = group[0].Caller;
            try
            {
                await WriteAsync(group);
            }
            catch (Exception e)
            {
                // The connection or the server failed: every caller retries (its record is not finished).
                foreach (var pending in group)
                    pending.Outcome.TrySetException(e);
            }
        }
    }

    async Task WriteAsync(List<Pending> group)
    {
        var remaining = group.ToList();
        // Each pass writes the sets still unanswered; every failed pass answers at least one, so this ends.
        while (remaining.Count > 0)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            var owners = new List<(Pending Owner, PendingWrite? Write)>();
            foreach (var pending in remaining)
            {
                if (pending.Set.Inbox is var (consumer, messageId))
                {
                    batch.BatchCommands.Add(InboxTable.InsertCommand(Schema, consumer, messageId));
                    owners.Add((pending, null));
                }
                foreach (var write in pending.Set.Writes)
                {
                    batch.BatchCommands.Add(write.ToBatchCommand());
                    owners.Add((pending, write));
                }
            }
            var outgoing = remaining.SelectMany(p => p.Set.Outgoing).ToList();
            if (outgoing.Count > 0)
            {
                batch.BatchCommands.Add(OutboxTable.AppendCommand(Schema, outgoing));
                batch.BatchCommands.Add(PostgresTransactionContext.NotifyCommand(Schema));
            }

            try
            {
                await batch.ExecuteNonQueryAsync();
            }
            catch (PostgresException e) when (OwnerOf(e, batch, owners, remaining) is ({ } owner, var write))
            {
                // One set's statement failed, which aborts the transaction: answer that set, write the others again.
                if (e is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: InboxTable.Name })
                {
                    PersistenceMetrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", owner.Set.Inbox?.Consumer));
                    owner.Outcome.TrySetResult(false);
                }
                else
                    owner.Outcome.TrySetException(Conflict(owner, write, e));
                remaining.Remove(owner);
                continue;
            }
            catch (PostgresException) when (remaining.Count > 1)
            {
                // Not attributable to one set: write each on its own, where every error is its set's.
                foreach (var pending in remaining)
                    await WriteAsync([pending]);
                return;
            }

            var lost = new HashSet<Pending>();
            for (var i = 0; i < owners.Count; i++)
                if (owners[i].Write is { ExpectedRows: { } expected } write && batch.BatchCommands[i].RecordsAffected != expected)
                {
                    if (lost.Add(owners[i].Owner))
                        owners[i].Owner.Outcome.TrySetException(write.Conflict(null));
                }
            if (lost.Count > 0)
            {
                await transaction.RollbackAsync();
                remaining.RemoveAll(lost.Contains);
                continue;
            }

            await transaction.CommitAsync();
            for (var i = 0; i < owners.Count; i++)
                if (owners[i].Write?.Committed is { } committed)
                    Report(committed, (int)batch.BatchCommands[i].RecordsAffected);
            if (outgoing.Count > 0)
                PersistenceMetrics.OutboxWritten.Add(outgoing.Count, new KeyValuePair<string, object?>("schema", Schema));
            PersistenceMetrics.GroupCommitSize.Record(remaining.Count, new KeyValuePair<string, object?>("schema", Schema));
            foreach (var pending in remaining)
                pending.Outcome.TrySetResult(true);
            return;
        }
    }

    // A hook's failure must not turn a committed set into a failed one (its message would be applied again).
    void Report(Action<int> committed, int rows)
    {
        try
        {
            committed(rows);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Group commit of schema {Schema}: an after-commit hook failed", Schema);
        }
    }

    /// <summary>The set whose statement raised <paramref name="e"/> and that statement: the failed batch command's, or the only set's.</summary>
    static (Pending? Owner, PendingWrite? Write) OwnerOf(PostgresException e, NpgsqlBatch batch, List<(Pending Owner, PendingWrite? Write)> owners,
        List<Pending> remaining)
    {
        if (e.BatchCommand is { } failed)
        {
            var index = batch.BatchCommands.IndexOf(failed);
            if (index >= 0 && index < owners.Count)
                return owners[index];
        }
        return (remaining.Count == 1 ? remaining[0] : null, null);
    }

    /// <summary>A lost race (a row created meanwhile, a deadlock) is the write's conflict, which its owner retries; anything else stays as it is.</summary>
    static Exception Conflict(Pending owner, PendingWrite? write, PostgresException e)
    {
        if (write is not null)
            return write.Conflict(e);
        return (e.IsTransient || e.SqlState == PostgresErrorCodes.UniqueViolation) && owner.Set.Writes.Count > 0
            ? owner.Set.Writes[0].Conflict(e)
            : e;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Group commit of schema {Schema}: writers still busy at shutdown", Schema);
        }
    }

    sealed class Pending(WriteSet set)
    {
        public WriteSet Set { get; } = set;

        public Activity? Caller { get; } = Activity.Current;

        // Completed on the writer's thread: continuations run elsewhere, so one slow lane cannot hold up the writer.
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
