using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Host.Observability;
using SagaDemo.Services.Operations;
using SagaDemo.Telemetry.Instruments;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Observability;

public sealed class MeteredOperationStoreTests : IDisposable
{
    readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
    readonly MeteredOperationStore _store;
    readonly InstrumentRecorder<long> _created;
    readonly InstrumentRecorder<long> _completed;
    readonly InstrumentRecorder<double> _duration;

    public MeteredOperationStoreTests()
    {
        var factory = _provider.GetRequiredService<IMeterFactory>();
        _store = new MeteredOperationStore(new InMemoryOperationStore(), new SagaDemoMetrics(factory));
        // IMeterFactory hands out one cached meter per name, the one SagaDemoMetrics created.
        var meter = factory.Create(SagaDemoMetrics.MeterName);
        _created = new InstrumentRecorder<long>(meter, "sagademo.operations.created");
        _completed = new InstrumentRecorder<long>(meter, "sagademo.operations.completed");
        _duration = new InstrumentRecorder<double>(meter, "sagademo.operation.duration");
    }

    [Fact]
    public async Task Counts_a_finish_once_even_when_the_reply_is_redelivered()
    {
        var created = DateTimeOffset.Parse("2026-01-01T12:00:00Z");
        var id = Guid.NewGuid();
        await _store.AddAsync(new Operation(id, OperationTypes.UserCreate, OperationStatus.Pending, created, created,
            JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null), default);
        var outcome = new OperationOutcome(OperationStatus.Completed, null, null, Guid.NewGuid());

        await _store.FinishAsync(id, outcome, created.AddSeconds(2), default);
        await _store.FinishAsync(id, outcome, created.AddSeconds(3), default);

        Assert.Equal(1, _created.Measurements.Sum(m => m.Value));
        var completed = Assert.Single(_completed.Measurements);
        Assert.Equal("completed", completed.Tags["status"]);
        Assert.Equal(2.0, Assert.Single(_duration.Measurements).Value);
    }

    [Fact]
    public async Task Does_not_count_a_reply_for_an_unknown_operation()
    {
        var result = await _store.FinishAsync(Guid.NewGuid(),
            new OperationOutcome(OperationStatus.Failed, null, "x", null), DateTimeOffset.UtcNow, default);

        Assert.Null(result);
        Assert.Empty(_completed.Measurements);
    }

    public void Dispose()
    {
        _created.Dispose();
        _completed.Dispose();
        _duration.Dispose();
        _provider.Dispose();
    }
}
