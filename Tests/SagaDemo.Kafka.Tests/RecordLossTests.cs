using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaDemo.Host.Observability;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// Records the broker deleted before a consumer group read them (the mock cluster keeps about 5 MB per partition) are
/// never skipped in silence: an Error log line names topic, partition and offsets, sagademo_kafka_records_lost_total
/// counts them, and readiness turns unhealthy (then degraded).
/// </summary>
public sealed class RecordLossTests
{
    [Fact]
    public async Task Records_deleted_while_the_group_was_away_are_logged_counted_and_make_readiness_unhealthy()
    {
        using var cluster = new MockKafkaCluster();
        var topics = new TestTopics();
        cluster.CreateTopic(topics.Commands, partitions: 1);
        var keys = Enumerable.Range(0, 32).Select(_ => Guid.NewGuid()).ToList();

        // The group reads and commits the first 10 records, then stops.
        await using (var first = await RiderHost.StartAsync(cluster, topics))
        {
            await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands,
                Enumerable.Range(0, 10).Select(i => new TestCommand(keys[i % keys.Count], i, "x")));
            await Poll.UntilAsync(() => first.Log.DistinctEffects == 10, TimeSpan.FromSeconds(30), () => $"{first.Log.DistinctEffects} of 10 handled");
        }

        // While it is away, about 7 MB arrive: beyond the broker's retention, so the oldest records go, the 10th included.
        var payload = new string('p', 4000);
        await RawKafka.ProduceCommandsAsync(cluster.BootstrapServers, topics.Commands,
            Enumerable.Range(10, 1800).Select(i => new TestCommand(keys[i % keys.Count], i, payload)));
        var (logStart, logEnd) = Watermarks(cluster.BootstrapServers, new TopicPartition(topics.Commands, 0));
        Assert.True(logStart > 10, $"retention deleted nothing (log start {logStart})");

        long lost = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KafkaMetrics.MeterName && instrument.Name == KafkaMetrics.RecordsLostName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref lost, value));
        listener.Start();
        var logs = new LogCapture();

        await using var second = await RiderHost.StartAsync(cluster, topics, logs: logs);
        // It reads what is left, from the log start on: nothing before it, nothing twice.
        await Poll.UntilAsync(() => second.Log.DistinctEffects == logEnd - logStart, TimeSpan.FromSeconds(60),
            () => $"{second.Log.DistinctEffects} of {logEnd - logStart} handled");

        Assert.Equal(logStart - 10, Interlocked.Read(ref lost));
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains($"LOST {logStart - 10} records of {topics.Commands} [0]: offsets 10 to {logStart - 1}", error.Message);
        Assert.Equal(logStart - 10, second.Host.Services.GetRequiredService<RecordLossMonitor>().TotalLost);

        var unready = await Readiness(second, TimeSpan.FromMinutes(5));
        Assert.Equal(HealthStatus.Unhealthy, unready.Status);
        Assert.Contains($"skipped offsets 10-{logStart - 1} of {topics.Commands} [0]", unready.Description);
        // Once the unready period is over the loss is still told, as Degraded (ready, but not healthy).
        var degraded = await Readiness(second, TimeSpan.Zero);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("record(s) lost", degraded.Description);
    }

    static Task<HealthCheckResult> Readiness(RiderHost host, TimeSpan unready)
    {
        var options = host.Host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        options.RecordLossUnready = unready;
        var check = ActivatorUtilities.CreateInstance<KafkaReadinessCheck>(host.Host.Services, Options.Create(options), TimeProvider.System);
        return check.CheckHealthAsync(new HealthCheckContext());
    }

    static (long Low, long High) Watermarks(string bootstrap, TopicPartition partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "watermarks" }).Build();
        var w = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
        return (w.Low.Value, w.High.Value);
    }
}
