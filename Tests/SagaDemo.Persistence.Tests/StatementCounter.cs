using System.Diagnostics;

namespace SagaDemo.Persistence.Tests;

/// <summary>While alive, counts the statements Npgsql runs (seen on its own trace source) whose text contains a fragment.</summary>
public sealed class StatementCounter : IDisposable
{
    readonly ActivityListener _listener;
    int _count;

    public StatementCounter(string sqlFragment)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(tag => tag.Value is string text && text.Contains(sqlFragment, StringComparison.Ordinal)))
                    Interlocked.Increment(ref _count);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
