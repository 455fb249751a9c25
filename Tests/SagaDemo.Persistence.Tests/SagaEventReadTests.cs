using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests;

/// <summary>
/// The read a grouped saga event makes first (its inbox entry and its instance): events of many lanes asking at once
/// share statements, and each still gets its own answer and an instance object of its own to change.
/// </summary>
public sealed class SagaEventReadTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    const string Consumer = "users-test/UserRegistrationState";

    readonly SagaDocumentStore<UserRegistrationState> _store = new(new PostgresSagaRepositoryOptions<UserRegistrationState>
        { Schema = "users", Table = SagaDemoSchemas.UserRegistrationSagaTable, Deadline = s => s.ApprovalDeadline });

    async Task<UserRegistrationState> InsertAsync(string name)
    {
        var saga = new UserRegistrationState { CorrelationId = Guid.NewGuid(), CurrentState = "AwaitingApproval", Name = name };
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _store.InsertAsync(connection, transaction, saga, default);
        await transaction.CommitAsync();
        return saga;
    }

    [Fact]
    public async Task Concurrent_event_reads_share_statements_and_each_gets_its_own_inbox_answer_and_instance()
    {
        var sagas = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => InsertAsync($"user{i}")));
        // Events: one per instance (every third already applied), ten for instances that do not exist, and one asked twice.
        var events = sagas.Select((s, i) => (MessageId: Guid.NewGuid(), s.CorrelationId, Applied: i % 3 == 0, Name: (string?)s.Name))
            .Concat(Enumerable.Range(0, 10).Select(_ => (MessageId: Guid.NewGuid(), CorrelationId: Guid.NewGuid(), Applied: false, Name: (string?)null)))
            .ToList();
        events.Add(events[1]);
        foreach (var applied in events.Where(e => e.Applied))
            await ScalarAsync<int>("INSERT INTO users.inbox (consumer, message_id) VALUES ($1, $2) RETURNING 1", Consumer, applied.MessageId);
        using var statements = new StatementCounter("WITH ORDINALITY AS wanted");

        var reads = Enumerable.Range(0, 5).SelectMany(_ => events).ToArray();
        var answers = await Task.WhenAll(reads.Select(e => Task.Run(() =>
            _store.ReadForEventAsync(DataSource, "users", Consumer, e.MessageId, e.CorrelationId, default))));

        for (var i = 0; i < reads.Length; i++)
        {
            Assert.Equal(reads[i].Applied, answers[i].Applied);
            Assert.Equal(reads[i].Name, answers[i].Instance?.Name);
            if (answers[i].Instance is { } instance)
                Assert.Equal((reads[i].CorrelationId, 1), (instance.CorrelationId, instance.Version));
        }
        // The same event asked twice (and the same instance across the five rounds): never one object shared.
        var instances = answers.Select(a => a.Instance).OfType<UserRegistrationState>().ToList();
        Assert.Equal(instances.Count, instances.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.InRange(statements.Count, 1, reads.Length / 4);
    }
}
