using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Monitoring;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// The consume loop of one consumer group: fetches on one thread, processes in keyed lanes, commits only
/// offsets whose records (and everything before them in their partition) finished. On revocation it waits
/// for the revoked partitions' records and commits them before letting go, so the next owner starts exactly
/// after them and per-key order survives the move.
/// </summary>
public sealed class TopicEndpointConsumer
{
    static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    readonly TopicEndpoint _endpoint;
    readonly KafkaEndpointOptions _options;
    readonly ConsumerConfig _config;
    readonly RecordDispatcher _dispatcher;
    readonly KafkaLagMonitor _lag;
    readonly ILogger _logger;
    readonly KafkaMetrics? _metrics;
    readonly PartitionOffsetTracker _tracker = new();
    readonly CancellationTokenSource _abortProcessing = new();
    int _inFlight;
    int _finishedSinceCommit;

    public TopicEndpointConsumer(TopicEndpoint endpoint, KafkaEndpointOptions options, ConsumerConfig config,
        RecordDispatcher dispatcher, KafkaLagMonitor lag, ILogger logger, KafkaMetrics? metrics = null)
    {
        _metrics = metrics;
        _endpoint = endpoint;
        _options = options;
        _config = config;
        _dispatcher = dispatcher;
        _lag = lag;
        _logger = logger;
    }

    /// <summary>Records fetched and not yet finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    async Task Run(CancellationToken stoppingToken)
    {
        var lanes = new KeyedLanes(_options.Concurrency, ProcessAsync);
        var assignmentChanged = false;
        using var consumer = new ConsumerBuilder<string?, byte[]>(_config)
            .SetPartitionsAssignedHandler((_, assigned) =>
            {
                assignmentChanged = true;
                _logger.LogInformation("Group {Group} assigned {Partitions}", _endpoint.Group, string.Join(", ", assigned));
            })
            .SetPartitionsRevokedHandler((c, revoked) => Release(c, revoked.Select(r => r.TopicPartition).ToList(), commit: true))
            .SetPartitionsLostHandler((c, lost) => Release(c, lost.Select(r => r.TopicPartition).ToList(), commit: false))
            .SetStatisticsHandler((_, json) => _lag.Report(_endpoint.Group, json))
            .SetErrorHandler((_, e) => _logger.Log(e.IsFatal ? LogLevel.Critical : LogLevel.Warning,
                "Kafka consumer {Group} error {Code}: {Reason}", _endpoint.Group, e.Code, e.Reason))
            .SetLogHandler((_, m) => _logger.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .Build();

        consumer.Subscribe(_endpoint.Topics);
        var paused = false;
        var lastCommit = DateTime.UtcNow;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Back-pressure: stop fetching while the lanes hold MaxInFlight records, resume at half.
                if (!paused && InFlight >= _options.MaxInFlight || paused && assignmentChanged)
                {
                    consumer.Pause(consumer.Assignment);
                    paused = true;
                }
                else if (paused && InFlight <= _options.MaxInFlight / 2)
                {
                    consumer.Resume(consumer.Assignment);
                    paused = false;
                }
                assignmentChanged = false;

                ConsumeResult<string?, byte[]>? record = null;
                try
                {
                    record = consumer.Consume(PollTimeout);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    // Broker outages and the like: librdkafka reconnects by itself; keep polling.
                    _logger.LogWarning("Kafka consumer {Group}: {Reason}", _endpoint.Group, ex.Error.Reason);
                }

                if (record is { Message: not null })
                {
                    _tracker.Fetched(record.TopicPartitionOffset);
                    Interlocked.Increment(ref _inFlight);
                    lanes.Enqueue(record);
                }

                if (Volatile.Read(ref _finishedSinceCommit) >= _options.CheckpointCount
                    || DateTime.UtcNow - lastCommit >= _options.CheckpointInterval)
                {
                    Commit(consumer, null);
                    lastCommit = DateTime.UtcNow;
                }
            }
        }
        finally
        {
            // Shutdown: finish what was fetched, commit it, then leave the group (which revokes, committing again: a no-op).
            var drained = lanes.CompleteAsync();
            if (await Task.WhenAny(drained, Task.Delay(DrainTimeout)) != drained)
            {
                _logger.LogWarning("Group {Group}: records still running after {Timeout}; cancelling them", _endpoint.Group, DrainTimeout);
                _abortProcessing.Cancel();
                // A handler that ignores cancellation must not hold the process: its record stays uncommitted.
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5)));
            }
            Commit(consumer, null);
            consumer.Close();
            _lag.Forget(_endpoint.Group);
        }
    }

    async Task ProcessAsync(ConsumeResult<string?, byte[]> record)
    {
        try
        {
            await _dispatcher.ProcessAsync(record, _endpoint, _abortProcessing.Token);
            _tracker.Finished(record.TopicPartitionOffset);
            Interlocked.Increment(ref _finishedSinceCommit);
        }
        catch (OperationCanceledException) when (_abortProcessing.IsCancellationRequested)
        {
            // Not finished: its offset stays uncommitted and the record will be read again.
        }
        catch (Exception ex)
        {
            // Only reachable if dead-lettering itself broke; the offset stays uncommitted.
            _logger.LogError(ex, "Group {Group}: record {Record} neither processed nor dead-lettered", _endpoint.Group, record.TopicPartitionOffset);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    void Release(IConsumer<string?, byte[]> consumer, List<TopicPartition> partitions, bool commit)
    {
        if (commit)
        {
            if (!_tracker.WaitDrained(partitions, DrainTimeout))
                _logger.LogWarning("Group {Group}: revoking {Partitions} with records still running", _endpoint.Group, string.Join(", ", partitions));
            Commit(consumer, partitions);
        }
        _tracker.Remove(partitions);
        _logger.LogInformation("Group {Group} released {Partitions}", _endpoint.Group, string.Join(", ", partitions));
    }

    void Commit(IConsumer<string?, byte[]> consumer, IReadOnlyCollection<TopicPartition>? only)
    {
        var offsets = _tracker.ToCommit(only);
        Interlocked.Exchange(ref _finishedSinceCommit, 0);
        if (offsets.Count == 0)
            return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            consumer.Commit(offsets);
            _metrics?.Committed(_endpoint.Group, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: true);
            _tracker.MarkCommitted(offsets);
        }
        catch (KafkaException ex)
        {
            _metrics?.Committed(_endpoint.Group, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: false);
            // Not fatal: the same (or a later) position is committed at the next checkpoint.
            _logger.LogWarning("Group {Group}: commit failed ({Reason}); will retry", _endpoint.Group, ex.Error.Reason);
        }
    }
}
