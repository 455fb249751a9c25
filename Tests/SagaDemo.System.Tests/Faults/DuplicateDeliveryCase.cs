using SagaDemo.Kafka.Topology;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Every record of finished sagas delivered again, twice: once exactly as it was (same message id: the inboxes
/// recognise it) and once without its message id (the rider derives a new one from the record's position, as
/// for any plain client's resend, so only the services' own idempotence stands between it and a second effect).
/// </summary>
public static class DuplicateDeliveryCase
{
    const string Name = "duplicate delivery";

    public static FaultCase Create() => new(Name,
        "Six users and five orders run to their end; then every record of theirs on every topic is produced again twice " +
        "with a plain Confluent producer, once as it was and once without its message-id header.",
        async (system, ledger) =>
        {
            var requests = Workload.Mixed(6, 5);
            var answers = new AnswerTally();
            var accepted = await LoadCase.SendAsync(system, requests, answers);
            var settled = await LoadCase.SettleAndCheckAsync(system, ledger, Name, accepted, requests.Count, answers);
            if (!settled.Passed)
                return settled;

            var ids = accepted.Select(a => a.Id.ToString()).ToHashSet();
            var before = await OperationSnapshot.TakeAsync(system, accepted);
            var inboxBefore = await InboxDuplicatesAsync(system);

            var records = KafkaProbe.Records(system.Bootstrap).Where(r => r.Key is not null && ids.Contains(r.Key)).ToList();
            using (var feed = system.Feed())
            {
                foreach (var record in records)
                {
                    var value = global::System.Text.Encoding.UTF8.GetBytes(record.Value);
                    feed.Produce(record.Topic, record.Key, value, record.Headers);
                    feed.Produce(record.Topic, record.Key, value, record.Headers.Where(h => h.Key != KafkaHeaderNames.MessageId));
                }
                await feed.FlushAsync();
            }

            var problems = new List<string>();
            if (await Quiescence.WaitAsync(system, LoadCase.QuietTimeout) is { } busy)
                problems.Add(busy);
            problems.AddRange(await before.ChangesAsync(system, "duplicates"));
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(r => r.Key is not null && ids.Contains(r.Key)).ToList();
            problems.AddRange(dead.Select(d => $"duplicate on {d.Header(KafkaHeaderNames.DeadLetterTopic)} dead-lettered: {d.Header(KafkaHeaderNames.DeadLetterError)}"));
            var recognised = await InboxDuplicatesAsync(system) - inboxBefore;

            var result = await ledger.CheckAsync(system, Name, accepted, requests.Count, problems,
                $"{records.Count} records of {accepted.Count} finished operations produced twice more ({2 * records.Count} records); " +
                $"{recognised:0} recognised by a service inbox, the rest handled without a second effect; {dead.Count} dead-lettered; " +
                "no operation's outcome changed");
            return result;
        });

    /// <summary>Redeliveries the consuming services' inboxes recognised (the sagas' inbox counts in the same metric).</summary>
    static async Task<double> InboxDuplicatesAsync(FaultSystem system)
    {
        var total = 0.0;
        foreach (var service in system.Processes.Services)
            total += await MetricsProbe.SumAsync(service, "sagademo_inbox_duplicates_total");
        return total;
    }
}
