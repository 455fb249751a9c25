using System.Text;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Topology;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.System.Tests.Faults;

/// <summary>A record no service can read on every topic; each must be dead-lettered with its reason, and work goes on.</summary>
public static class PoisonRecordsCase
{
    const string Name = "poison records";

    static readonly (string What, byte[] Value, KeyValuePair<string, string>[] Headers)[] Kinds =
    [
        ("broken JSON", "{\"operationId\": 42,"u8.ToArray(), []),
        ("required fields missing", "{}"u8.ToArray(), []),
        ("a message type the topic does not carry", "{}"u8.ToArray(), [new(KafkaHeaderNames.MessageType, "NoSuchMessage")]),
    ];

    public static FaultCase Create() => new(Name,
        "One unreadable record on each topic the services read (by turns broken JSON, required fields missing, a message-type " +
        "header the topic does not carry), then six users and three orders through the API.",
        async (system, ledger) =>
        {
            var poison = new Dictionary<string, (string Topic, string What)>();
            using (var feed = system.Feed())
            {
                var i = 0;
                foreach (var topic in RoleCatalog.Topics.TopicNames)
                {
                    var (what, value, headers) = Kinds[i++ % Kinds.Length];
                    var key = Guid.NewGuid().ToString();
                    poison[key] = (topic, what);
                    feed.Produce(topic, key, value, headers);
                }
                await feed.FlushAsync();
            }

            var requests = Workload.Mixed(6, 3);
            var answers = new AnswerTally();
            var accepted = await LoadCase.SendAsync(system, requests, answers);
            var problems = await LoadCase.SettleAsync(system, ledger, accepted);
            problems.AddRange(answers.Problems());
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(d => d.Key is not null && poison.ContainsKey(d.Key))
                .ToDictionary(d => d.Key!);
            foreach (var (key, (topic, what)) in poison)
            {
                if (!dead.TryGetValue(key, out var record))
                    problems.Add($"poison record ({what}) on {topic} was not dead-lettered");
                else if (record.Topic != TopicCatalog.DeadLetterTopic(topic)
                         || record.Header(KafkaHeaderNames.DeadLetterTopic) != topic
                         || record.Header(KafkaHeaderNames.DeadLetterConsumerGroup) != KafkaProbe.GroupOf(topic)
                         || record.Header(KafkaHeaderNames.DeadLetterExceptionType) != typeof(UnreadableRecordException).FullName
                         || string.IsNullOrWhiteSpace(record.Header(KafkaHeaderNames.DeadLetterError)))
                    problems.Add($"poison record ({what}) on {topic} dead-lettered to {record.Topic} without its reason: " +
                                 string.Join(", ", record.Headers.Select(h => $"{h.Key}={h.Value}")));
            }
            var example = dead.Values.FirstOrDefault()?.Header(KafkaHeaderNames.DeadLetterError);
            return await ledger.CheckAsync(system, Name, accepted, requests.Count, problems,
                $"{dead.Count} of {poison.Count} poison records dead-lettered with a reason (e.g. \"{example}\"); " +
                "the operations sent after them completed or failed as usual");
        });
}
