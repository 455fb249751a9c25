using SagaDemo.Testing;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests.Trust;

/// <summary>
/// The inboxes (PostgreSQL) skip a message whose id they have seen. If that id were the bare message-id header, any
/// client writing user-create could name an id in advance and have a later, different record skipped as its
/// "redelivery": here an earlier record's id on a new operation's record.
/// </summary>
public sealed class ForgedMessageIdTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task A_record_reusing_another_records_message_id_is_no_redelivery_of_it()
    {
        var database = await postgres.Server.CreateDatabaseAsync("forged_message_id");
        await using var app = new SagaDemoAppFactory(new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database });
        _ = app.CreateClient();
        var messageId = Guid.NewGuid().ToString();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        Produce(app.Bootstrap, first, "first", messageId);
        await AnswerAsync(app.Bootstrap, first);
        Produce(app.Bootstrap, second, "second", messageId);

        // The second operation runs: same header, different record, so no inbox takes it for the first one again.
        await AnswerAsync(app.Bootstrap, second);
    }

    static void Produce(string bootstrap, Guid operationId, string name, string messageId) =>
        RawKafka.ProduceRaw(bootstrap, "user-create", operationId.ToString(),
            System.Text.Encoding.UTF8.GetBytes($$"""{"operationId":"{{operationId}}","name":"{{name}}","email":null}"""),
            (KafkaHeaderNames.MessageId, messageId));

    static Task AnswerAsync(string bootstrap, Guid operationId) => Poll.UntilAsync(
        () => TopicDump.ReadAll(bootstrap, ["user-create-response"]).Any(r => r.Key == operationId.ToString()),
        TimeSpan.FromSeconds(30), () => $"no user-create-response for operation {operationId}");
}
