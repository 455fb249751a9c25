using System.Collections.Concurrent;
using System.Diagnostics;
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
    // While fetching is paused somewhere, look at the lanes more often: a resume waits for the next look.
    static readonly TimeSpan PausedPollTimeout = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    readonly TopicEndpoint _endpoint;
    readonly KafkaEndpointOptions _options;
    readonly ConsumerConfig _config;
    readonly RecordDispatcher _dispatcher;
    readonly KafkaLagMonitor _lag;
    readonly ILogger _logger;
    readonly PartitionOffsetTracker _tracker = new();
    readonly CancellationTokenSource _abortProcessing = new();
    readonly KafkaMetrics? _metrics;
    readonly RecordLossMonitor _losses;
    // Offset resets librdkafka logged (records deleted before this group read them), until the partition's next record
    // tells where reading went on. Written by librdkafka's logging thread, read by the poll thread.
    readonly ConcurrentDictionary<TopicPartition, OffsetResetNotice> _resets = new();
    int _inFlight;
    int _finishedSinceCommit;
    // When the oldest offset not yet confirmed by a background commit was stored (Stopwatch ticks; 0 = none).
    long _storedSince;

    public TopicEndpointConsumer(TopicEndpoint endpoint, KafkaEndpointOptions options, ConsumerConfig config,
        RecordDispatcher dispatcher, KafkaLagMonitor lag, ILogger logger, KafkaMetrics? metrics = null, RecordLossMonitor? losses = null)
    {
        _endpoint = endpoint;
        _options = options;
        _config = config;
        _dispatcher = dispatcher;
        _lag = lag;
        _logger = logger;
        _metrics = metrics;
        _losses = losses ?? new RecordLossMonitor(metrics);
    }

    /// <summary>Records fetched and not yet finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    async Task Run(CancellationToken stoppingToken)
    {
        var lanes = new KeyedLanes(_options.Concurrency, ProcessAsync);
        var backPressure = new FetchBackPressure(_options.MaxInFlight, _tracker.InFlight, _options.MaxInFlightBytes, _tracker.InFlightBytes);
        var watchdog = new StalledPartitionWatchdog(_options.StallTimeout, _logger, _endpoint.Group);
        using var consumer = new ConsumerBuilder<string?, byte[]>(_config)
            .SetPartitionsAssignedHandler((c, assigned) =>
            {
                backPressure.AssignmentChanged();
                watchdog.Assigned(assigned);
                _logger.LogInformation("Group {Group} ({Member}) assigned {Partitions}", _endpoint.Group, c.Name, string.Join(", ", assigned));
            })
            .SetPartitionsRevokedHandler((c, revoked) =>
            {
                var partitions = revoked.Select(r => r.TopicPartition).ToList();
                backPressure.AssignmentChanged();
                watchdog.Released(partitions);
                Release(c, partitions, commit: true);
            })
            .SetPartitionsLostHandler((c, lost) =>
            {
                var partitions = lost.Select(r => r.TopicPartition).ToList();
                backPressure.AssignmentChanged();
                watchdog.Released(partitions);
                Release(c, partitions, commit: false);
            })
            .SetStatisticsHandler((_, json) => _lag.Report(_endpoint.Group, json))
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .SetErrorHandler((_, e) => _logger.Log(e.IsFatal ? LogLevel.Critical : LogLevel.Warning,
                "Kafka consumer {Group} error {Code}: {Reason}", _endpoint.Group, e.Code, e.Reason))
            .SetLogHandler((_, m) => OnLibrdkafkaLog(m))
            .Build();

        consumer.Subscribe(_endpoint.Topics);
        var lastCommit = DateTime.UtcNow;
        TopicPartition? fetched = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ApplyBackPressure(consumer, backPressure, watchdog, fetched);
                watchdog.Check(consumer, backPressure.IsPaused);

                ConsumeResult<string?, byte[]>? record = null;
                try
                {
                    record = consumer.Consume(backPressure.Paused.Count > 0 ? PausedPollTimeout : PollTimeout);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    // Broker outages and the like: librdkafka reconnects by itself; keep polling.
                    _logger.LogWarning("Kafka consumer {Group}: {Reason}", _endpoint.Group, ex.Error.Reason);
                }

                fetched = null;
                if (record is { Message: not null })
                {
                    if (!_resets.IsEmpty && _resets.TryRemove(record.TopicPartition, out var reset))
                        ReportLoss(reset, record.Offset.Value);
                    _tracker.Fetched(record.TopicPartitionOffset, SizeOf(record));
                    watchdog.Received(record.TopicPartitionOffset);
                    Interlocked.Increment(ref _inFlight);
                    lanes.Enqueue(record);
                    fetched = record.TopicPartition;
                }

                if (Volatile.Read(ref _finishedSinceCommit) >= _options.CheckpointCount
                    || DateTime.UtcNow - lastCommit >= _options.CheckpointInterval)
                {
                    StoreOffsets(consumer, null);
                    lastCommit = DateTime.UtcNow;
                }
            }
        }
        finally
        {
            // Shutdown: finish what was fetched, store its offsets, then leave the group: closing revokes, and
            // librdkafka commits the stored offsets on the way out.
            var drained = lanes.CompleteAsync();
            if (await Task.WhenAny(drained, Task.Delay(DrainTimeout)) != drained)
            {
                _logger.LogWarning("Group {Group}: records still running after {Timeout}; cancelling them", _endpoint.Group, DrainTimeout);
                _abortProcessing.Cancel();
                // A handler that ignores cancellation must not hold the process: its record stays uncommitted.
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5)));
            }
            watchdog.Stop();
            StoreOffsets(consumer, null);
            consumer.Close();
            _lag.Forget(_endpoint.Group);
        }
    }

    void ApplyBackPressure(IConsumer<string?, byte[]> consumer, FetchBackPressure backPressure, StalledPartitionWatchdog watchdog,
        TopicPartition? fetched)
    {
        try
        {
            var (paused, resumed, wakeFetcher) = backPressure.Apply(consumer, fetched);
            if (paused.Count > 0)
                _logger.LogDebug("Group {Group}: {InFlight} in flight; paused {Partitions}", _endpoint.Group, InFlight, string.Join(", ", paused));
            if (resumed.Count == 0)
                return;
            _logger.LogDebug("Group {Group}: {InFlight} in flight; resumed {Partitions}", _endpoint.Group, InFlight, string.Join(", ", resumed));
            watchdog.Resumed(resumed);
            if (wakeFetcher)
                WakeFetcher(consumer, resumed[0]);
        }
        catch (KafkaException ex)
        {
            // E.g. a partition revoked in between: the next assignment change reconciles again.
            _logger.LogWarning("Group {Group}: pause/resume failed ({Reason})", _endpoint.Group, ex.Error.Reason);
            backPressure.AssignmentChanged();
        }
    }

    /// <summary>
    /// librdkafka applies a resume on its main thread but the fetcher, idle while everything was paused, notices it
    /// only at its next wake-up, up to a second later. A request to the partition's leader wakes it. Still so on 2.16:
    /// resume to next record took ~480 ms on average without this, 1-24 ms with it (mock cluster, idle broker thread).
    /// </summary>
    void WakeFetcher(IConsumer<string?, byte[]> consumer, TopicPartition partition)
    {
        try
        {
            consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(1));
        }
        catch (KafkaException)
        {
            // Only a nudge: without it the fetcher still wakes within a second.
        }
    }

    // What the record holds in memory while it waits and runs: its value and key (headers are small).
    static long SizeOf(ConsumeResult<string?, byte[]> record) =>
        (record.Message.Value?.LongLength ?? 0) + 2L * (record.Message.Key?.Length ?? 0);

    async Task ProcessAsync(ConsumeResult<string?, byte[]> record)
    {
        try
        {
            await _dispatcher.ProcessAsync(record, _endpoint, _abortProcessing.Token);
            _tracker.Finished(record.TopicPartitionOffset, SizeOf(record));
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

    void OnLibrdkafkaLog(LogMessage message)
    {
        if (OffsetResetNotice.TryParse(message, out var reset))
            // Several resets before the next record: the loss starts at the first one's offset.
            _resets.AddOrUpdate(reset!.Partition, reset, (_, earlier) => earlier.AtOffset <= reset.AtOffset ? earlier : reset);
        _logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message);
    }

    /// <summary>
    /// The group wanted <paramref name="reset"/>'s offset, which the broker no longer had; reading went on at
    /// <paramref name="resumedAt"/>. Everything between is gone unread: said as loudly as possible, never skipped silently.
    /// </summary>
    void ReportLoss(OffsetResetNotice reset, long resumedAt)
    {
        if (resumedAt <= reset.AtOffset)
        {
            _logger.LogWarning("Group {Group}: offset reset of {Partition} at {Offset}, but reading went on at {Resumed}: nothing skipped ({Reason})",
                _endpoint.Group, reset.Partition, reset.AtOffset, resumedAt, reset.Reason);
            return;
        }
        var loss = _losses.Report(_endpoint.Group, reset.Partition.Topic, reset.Partition.Partition.Value, reset.AtOffset, resumedAt);
        _logger.LogError("Group {Group} LOST {Count} records of {Topic} [{Partition}]: offsets {From} to {To} were deleted by the broker "
            + "(retention) before they were read; reading goes on at {Resumed}. librdkafka: {Reason}",
            _endpoint.Group, loss.Count, loss.Topic, loss.Partition, loss.FromOffset, loss.ToOffset - 1, resumedAt, reset.Reason);
    }

    void Release(IConsumer<string?, byte[]> consumer, List<TopicPartition> partitions, bool commit)
    {
        foreach (var tp in partitions)
            if (_resets.TryRemove(tp, out var reset))
                // No record came after the reset: the log start (from the last fetch) is where reading would have gone on.
                ReportLoss(reset, LogStart(consumer, tp) ?? reset.AtOffset + 1);
        if (commit)
        {
            if (!_tracker.WaitDrained(partitions, DrainTimeout))
                _logger.LogWarning("Group {Group}: revoking {Partitions} with records still running", _endpoint.Group, string.Join(", ", partitions));
            StoreOffsets(consumer, partitions); // committed by librdkafka as it completes the revocation
        }
        _tracker.Remove(partitions);
        _logger.LogInformation("Group {Group} ({Member}) released {Partitions}", _endpoint.Group, consumer.Name, string.Join(", ", partitions));
    }

    static long? LogStart(IConsumer<string?, byte[]> consumer, TopicPartition partition)
    {
        try
        {
            return consumer.GetWatermarkOffsets(partition).Low is { } low && low.Value >= 0 ? low.Value : null;
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>
    /// Hands the finished positions to librdkafka, which commits them in the background every
    /// CheckpointInterval and once more when partitions are revoked or the consumer closes. Never a
    /// synchronous commit on the poll thread: one blocks for as long as the group coordinator is unreachable,
    /// and a poll thread blocked past the session timeout loses the assignment and stalls the whole group.
    /// </summary>
    void StoreOffsets(IConsumer<string?, byte[]> consumer, IReadOnlyCollection<TopicPartition>? only)
    {
        var offsets = _tracker.ToCommit(only);
        Interlocked.Exchange(ref _finishedSinceCommit, 0);
        if (offsets.Count == 0)
            return;
        var stored = new List<TopicPartitionOffset>(offsets.Count);
        foreach (var offset in offsets)
        {
            try
            {
                consumer.StoreOffset(offset);
                stored.Add(offset);
            }
            catch (KafkaException ex)
            {
                // Not assigned any more (lost): its new owner starts from the last commit and reads it again.
                _logger.LogDebug("Group {Group}: not storing {Offset} ({Reason})", _endpoint.Group, offset, ex.Error.Reason);
            }
        }
        _tracker.MarkCommitted(stored);
        if (stored.Count > 0)
            Interlocked.CompareExchange(ref _storedSince, Stopwatch.GetTimestamp(), 0);
    }

    // Commit latency: from storing a finished offset to librdkafka's confirmation of the background commit.
    void OnCommitted(CommittedOffsets committed)
    {
        var since = Interlocked.Exchange(ref _storedSince, 0);
        if (since != 0)
            _metrics?.Committed(_endpoint.Group, Stopwatch.GetElapsedTime(since), succeeded: !committed.Error.IsError);
        if (committed.Error.IsError)
            _logger.LogWarning("Group {Group}: commit failed ({Reason}); librdkafka retries at the next interval",
                _endpoint.Group, committed.Error.Reason);
    }
}
