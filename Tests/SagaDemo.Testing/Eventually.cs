using System.Diagnostics;

namespace SagaDemo.Testing;

/// <summary>Polls a condition until it holds or a deadline passes, instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? DefaultTimeout))
                return false;
            await Task.Delay(10);
        }
        return true;
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || clock.Elapsed > (timeout ?? DefaultTimeout))
                return value;
            await Task.Delay(20);
        }
    }

    /// <summary>Like <see cref="ValueAsync{T}"/>, but a deadline passed is a failure that names what was awaited and the last value.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met in time{(what is null ? "" : $": {what}")}; last value: {value}");
            await Task.Delay(20);
        }
    }
}
