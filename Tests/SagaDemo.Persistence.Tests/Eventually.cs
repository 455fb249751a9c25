namespace SagaDemo.Persistence.Tests;

/// <summary>Polls a condition until it holds or a deadline passes: no fixed sleeps.</summary>
public static class Eventually
{
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
